package dev.sorabatch.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.apache.commons.csv.CSVException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.io.ByteOrderMark;
import org.apache.commons.io.FilenameUtils;
import org.apache.commons.io.IOUtils;
import org.apache.commons.io.input.BOMInputStream;
import org.apache.commons.io.input.BoundedInputStream;
import org.apache.commons.io.input.CloseShieldInputStream;

import java.io.BufferedReader;
import java.io.FilterReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads a prompt file (one batch) as a stream of {@link RawRow}s, one request at a time.
 *
 * <p>The extension picks the format and the content must match it:
 * <ul>
 *   <li>{@code .json}: an array of request objects, or an object
 *       {@code {"batch": "name", "defaults": {...}, "requests": [...]}}. Defaults are merged under every
 *       request (request fields win, so an explicit null clears a default) and must come before
 *       {@code "requests"}, because requests are passed on as they are read. Other top-level keys are
 *       ignored, so files may carry their own notes.</li>
 *   <li>{@code .jsonl} / {@code .ndjson}: one request object per line; blank lines are skipped; a line that
 *       is not a JSON object becomes a row with a parse error and reading goes on.</li>
 *   <li>{@code .csv}: RFC 4180 with a header row naming request fields (trimmed, known fields matched
 *       case-insensitively); blank lines are skipped, blank cells are absent, and a record with the wrong
 *       number of values becomes a row with a parse error.</li>
 * </ul>
 * Text must be UTF-8; a byte order mark is skipped. Duplicate keys in a JSON object are a syntax error.
 *
 * <p>Every read is bounded by {@link ReadLimits}, checked as the text streams by, so that no file can make the
 * reader hold more than one request of bounded size: the file's bytes, the length of each request as written, of
 * each value, the nesting of JSON (Jackson's {@link StreamReadConstraints}), the number of requests and of columns.
 */
public final class RequestReader {

    private static final TypeReference<LinkedHashMap<String, Object>> OBJECT = new TypeReference<>() { };
    /** RFC 4180, except that blank lines (often left at the end by editors) are skipped. */
    private static final CSVFormat CSV = CSVFormat.DEFAULT;
    private static final Pattern NESTED_SOURCE = Pattern.compile("\\[Source: [^;]*; (line: \\d+, column: \\d+)]");
    /** Jackson names the constraint a value broke; the reason names the setting that sets it. */
    private static final Pattern CONSTRAINT = Pattern.compile(
            "from `StreamReadConstraints\\.getMax(NestingDepth|StringLength)\\(\\)`");
    private static final int SNIFF_BLOCK = 8192;

    private enum Format { JSON, JSONL, CSV }

    private final ReadLimits limits;
    private final ObjectMapper mapper;

    public RequestReader(ReadLimits limits) {
        this.limits = limits;
        JsonFactory factory = JsonFactory.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(limits.maxNestingDepth())
                        .maxStringLength(limits.maxCellLength())
                        .build())
                .build();
        // metadata is echoed later; BigDecimal keeps 1.50 as 1.50
        this.mapper = JsonMapper.builder(factory).enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
    }

    /**
     * Streams the file's requests to the sink in file order; never holds all rows. Reads the stream to EOF,
     * also when the file turns out bad, so that a digest over it covers the whole file; only a file over
     * {@link ReadLimits#maxFileBytes()} is left where reading stopped. The stream is not closed.
     *
     * @param fileName name used to pick the format by its extension; a path is fine
     * @throws BadFileException the file as a whole is not a usable batch; rows already passed to the sink
     *                          must then be discarded
     * @throws IOException      reading failed, or the sink failed (its exception is passed through)
     */
    public ReadResult read(String fileName, InputStream in, RowSink sink) throws BadFileException, IOException {
        InputStream bounded = BoundedInputStream.builder()
                .setInputStream(CloseShieldInputStream.wrap(in))
                .setMaxCount(limits.maxFileBytes() + 1)
                .setOnMaxCount((max, count) -> {
                    throw new TooLarge("the file is larger than " + size(limits.maxFileBytes())
                            + " (sora.input.max-file-mb); split it into smaller files");
                })
                .get();
        try {
            return readBatch(format(fileName), bounded, sink);
        } catch (BadFileException e) {
            if (!(e.getCause() instanceof TooLarge)) {
                IOUtils.consume(in);
            }
            throw e;
        }
    }

    /** True when the name has one of the extensions a prompt file may have (.json, .jsonl, .ndjson, .csv). */
    public static boolean isPromptFile(String fileName) {
        try {
            format(fileName);
            return true;
        } catch (BadFileException e) {
            return false;
        }
    }

    private static Format format(String fileName) throws BadFileException {
        String extension = FilenameUtils.getExtension(fileName).toLowerCase(Locale.ROOT);
        return switch (extension) {
            case "json" -> Format.JSON;
            case "jsonl", "ndjson" -> Format.JSONL;
            case "csv" -> Format.CSV;
            default -> throw new BadFileException((extension.isEmpty() ? "the file name has no extension"
                    : "unsupported file type \"." + extension + "\"") + "; use .json, .jsonl, .ndjson or .csv");
        };
    }

    private ReadResult readBatch(Format format, InputStream in, RowSink sink) throws BadFileException, IOException {
        CheckedText checked = new CheckedText(utf8(in), format);
        try (BufferedReader text = new BufferedReader(checked, SNIFF_BLOCK)) {
            int first = firstContentChar(text);
            if (first < 0) {
                throw new BadFileException("the file is empty");
            }
            ReadResult result = switch (format) {
                case JSON -> readJson(text, checked, first, sink);
                case JSONL -> readJsonLines(text, first, sink);
                case CSV -> readCsv(text, first, sink);
            };
            if (result.rows() == 0) {
                throw new BadFileException("the file holds no requests");
            }
            return result;
        } catch (BadText e) {
            throw new BadFileException(e.getMessage(), e);
        } catch (SinkFailure e) {
            throw (IOException) e.getCause();
        }
    }

    private static Reader utf8(InputStream in) throws IOException, BadFileException {
        // the other marks are only looked for to name the encoding in the error
        BOMInputStream withoutBom = BOMInputStream.builder()
                .setInputStream(CloseShieldInputStream.wrap(in))
                .setByteOrderMarks(ByteOrderMark.UTF_8, ByteOrderMark.UTF_16BE, ByteOrderMark.UTF_16LE,
                        ByteOrderMark.UTF_32BE, ByteOrderMark.UTF_32LE)
                .get();
        ByteOrderMark bom = withoutBom.getBOM();
        if (bom != null && !bom.equals(ByteOrderMark.UTF_8)) {
            throw new BadFileException("the file is " + bom.getCharsetName() + " text; save it as UTF-8");
        }
        CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        return new InputStreamReader(withoutBom, strict);
    }

    /** The first non-whitespace character, or -1 for a blank file; the reader is left where it was. */
    private static int firstContentChar(BufferedReader text) throws IOException {
        text.mark(SNIFF_BLOCK);
        int c;
        int skipped = 0;
        while ((c = text.read()) >= 0 && Character.isWhitespace(c)) {
            // keeps the mark valid at constant memory; only more than a block of leading whitespace is lost
            if (++skipped == SNIFF_BLOCK) {
                text.mark(SNIFF_BLOCK);
                skipped = 0;
            }
        }
        text.reset();
        return c;
    }

    private ReadResult readJson(Reader text, CheckedText checked, int first, RowSink sink)
            throws IOException, BadFileException {
        if (first != '[' && first != '{') {
            throw new BadFileException("a .json file must start with '[' or '{', but this one starts with " + describe(first));
        }
        try (JsonParser json = mapper.createParser(text)) {
            ReadResult result = json.nextToken() == JsonToken.START_ARRAY
                    ? new ReadResult(null, "json", readRequests(json, checked, Map.of(), sink))
                    : readBatchObject(json, checked, sink);
            if (json.nextToken() != null) {
                throw new BadFileException("unexpected content after the end of the JSON at " + where(json.currentLocation()));
            }
            return result;
        } catch (JsonProcessingException e) {
            throw new BadFileException("JSON syntax error at " + where(e.getLocation()) + ": " + problem(e), e);
        }
    }

    private ReadResult readBatchObject(JsonParser json, CheckedText checked, RowSink sink)
            throws IOException, BadFileException {
        String batchName = null;
        Map<String, Object> defaults = Map.of();
        Integer rows = null;
        while (nextUnit(json, checked) == JsonToken.FIELD_NAME) {
            String key = json.currentName();
            JsonToken value = json.nextToken();
            switch (key) {
                case "batch" -> {
                    if (value != JsonToken.VALUE_STRING && value != JsonToken.VALUE_NULL) {
                        throw new BadFileException("\"batch\" must be a string (at " + where(json.currentLocation()) + ")");
                    }
                    batchName = json.getValueAsString();
                }
                case "defaults" -> {
                    if (rows != null) {
                        throw new BadFileException("\"defaults\" must come before \"requests\": requests are processed"
                                + " as they are read, so defaults given after them cannot apply");
                    }
                    if (value != JsonToken.START_OBJECT) {
                        throw new BadFileException("\"defaults\" must be an object (at " + where(json.currentLocation()) + ")");
                    }
                    defaults = mapper.readValue(json, OBJECT);
                }
                case "requests" -> {
                    if (value != JsonToken.START_ARRAY) {
                        throw new BadFileException("\"requests\" must be an array (at " + where(json.currentLocation()) + ")");
                    }
                    rows = readRequests(json, checked, defaults, sink);
                }
                default -> json.skipChildren();
            }
        }
        if (rows == null) {
            throw new BadFileException("the JSON object has no \"requests\" array");
        }
        return new ReadResult(batchName, "json", rows);
    }

    /** Streams the elements of the array the parser is on; returns how many there were. */
    private int readRequests(JsonParser json, CheckedText checked, Map<String, Object> defaults, RowSink sink)
            throws IOException, BadFileException {
        int row = 0;
        while (nextUnit(json, checked) != JsonToken.END_ARRAY) {
            row = countRow(row);
            if (json.currentToken() == JsonToken.START_OBJECT) {
                Map<String, Object> fields = mapper.readValue(json, OBJECT);
                emit(sink, fields.size() > limits.maxColumns() ? tooManyFields(row, "request " + row, fields)
                        : new RawRow(row, withDefaults(defaults, fields), null));
            } else {
                String found = describe(json.currentToken());
                json.skipChildren();
                emit(sink, unreadable(row, "request " + row + " is not a JSON object: found " + found));
            }
        }
        return row;
    }

    private static Map<String, Object> withDefaults(Map<String, Object> defaults, Map<String, Object> request) {
        if (defaults.isEmpty()) {
            return request;
        }
        Map<String, Object> merged = new LinkedHashMap<>(defaults);
        merged.putAll(request);
        return merged;
    }

    private ReadResult readJsonLines(BufferedReader text, int first, RowSink sink) throws IOException, BadFileException {
        if (first != '{') {
            throw new BadFileException("a .jsonl file must hold one JSON object per line, but this one starts with "
                    + describe(first));
        }
        int line = 0;
        int row = 0;
        for (String content; (content = text.readLine()) != null; ) {
            line++;
            if (!content.isBlank()) {
                row = countRow(row);
                emit(sink, parseLine(row, line, content));
            }
        }
        return new ReadResult(null, "jsonl", row);
    }

    private RawRow parseLine(int row, int line, String content) throws IOException {
        String problem;
        try (JsonParser json = mapper.createParser(content)) {
            JsonToken token = json.nextToken();
            if (token != JsonToken.START_OBJECT) {
                problem = "found " + describe(token);
            } else {
                Map<String, Object> fields = mapper.readValue(json, OBJECT);
                if (json.nextToken() == null) {
                    return fields.size() > limits.maxColumns() ? tooManyFields(row, "line " + line, fields)
                            : new RawRow(row, fields, null);
                }
                problem = "more JSON follows the object at column " + json.currentLocation().getColumnNr();
            }
        } catch (JsonProcessingException e) {
            // constraint violations carry no location
            problem = problem(e) + (e.getLocation() == null ? "" : " (column " + e.getLocation().getColumnNr() + ")");
        }
        return unreadable(row, "line " + line + " is not a JSON object: " + problem);
    }

    private ReadResult readCsv(BufferedReader text, int first, RowSink sink) throws IOException, BadFileException {
        if (first == '{' || first == '[') {
            throw new BadFileException("this .csv file holds JSON (it starts with " + describe(first) + ")");
        }
        try (CSVParser csv = CSV.parse(text)) {
            Iterator<CSVRecord> records = csv.iterator();
            // there is a record: the file has a non-blank character
            List<String> columns = columns(records.next());
            int row = 0;
            while (records.hasNext()) {
                CSVRecord record = records.next();
                row = countRow(row);
                emit(sink, record.size() == columns.size() ? cells(row, columns, record)
                        : unreadable(row, "row " + row + " has " + record.size() + " values but the header has "
                                + columns.size() + " columns"));
            }
            return new ReadResult(null, "csv", row);
        } catch (UncheckedIOException e) {
            // the record iterator wraps read failures
            if (e.getCause() instanceof CSVException syntax) {
                throw new BadFileException("CSV syntax error: " + syntax.getMessage(), syntax);
            }
            throw e.getCause();
        }
    }

    private List<String> columns(CSVRecord header) throws BadFileException {
        if (header.size() > limits.maxColumns()) {
            throw new BadFileException("the header row has " + header.size() + " columns; the limit is "
                    + limits.maxColumns() + " (sora.input.max-columns)");
        }
        List<String> names = new ArrayList<>(header.size());
        for (String cell : header) {
            String name = RequestValidator.fieldName(cell.strip());
            if (name.isEmpty()) {
                throw new BadFileException("column " + (names.size() + 1) + " of the header row has no name");
            }
            if (names.contains(name)) {
                throw new BadFileException("column \"" + name + "\" appears twice in the header row");
            }
            names.add(name);
        }
        if (!names.contains("prompt")) {
            throw new BadFileException("the header row has no \"prompt\" column (it has: " + String.join(", ", names) + ")");
        }
        return names;
    }

    private RawRow cells(int row, List<String> columns, CSVRecord record) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            String value = record.get(i);
            if (value.length() > limits.maxCellLength()) {
                return unreadable(row, "row " + row + ": the value of column \"" + columns.get(i) + "\" is "
                        + value.length() + " characters; the limit is " + limits.maxCellLength() + " (sora.input.max-cell-length)");
            }
            if (!value.isBlank()) {
                fields.put(columns.get(i), value);
            }
        }
        return new RawRow(row, fields, null);
    }

    /** The next row number, or the file set aside when it holds more requests than allowed. */
    private int countRow(int row) throws BadFileException {
        if (row == limits.maxRows()) {
            throw new BadFileException("the file holds more than " + limits.maxRows()
                    + " requests (sora.input.max-rows); split it into smaller files");
        }
        return row + 1;
    }

    private RawRow tooManyFields(int row, String where, Map<String, Object> fields) {
        return unreadable(row, where + " has " + fields.size() + " fields; the limit is " + limits.maxColumns()
                + " (sora.input.max-columns)");
    }

    /** The next JSON token, the request or field it starts counted on its own against the length limit. */
    private static JsonToken nextUnit(JsonParser json, CheckedText checked) throws IOException {
        checked.startUnit();
        return json.nextToken();
    }

    private static RawRow unreadable(int row, String problem) {
        return new RawRow(row, Map.of(), problem);
    }

    private static void emit(RowSink sink, RawRow row) {
        try {
            sink.accept(row);
        } catch (IOException e) {
            throw new SinkFailure(e);
        }
    }

    /** Jackson's message without the source description it embeds in nested locations, limits named by setting. */
    private static String problem(JsonProcessingException e) {
        String message = NESTED_SOURCE.matcher(e.getOriginalMessage()).replaceAll("$1");
        return CONSTRAINT.matcher(message).replaceAll(m -> m.group(1).equals("NestingDepth")
                ? "sora.input.max-nesting-depth" : "sora.input.max-cell-length");
    }

    private static String size(long bytes) {
        return bytes % (1024 * 1024) == 0 ? bytes / (1024 * 1024) + " MB" : bytes + " bytes";
    }

    private static String where(JsonLocation location) {
        return location == null ? "unknown position" : "line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static String describe(int c) {
        return Character.isISOControl(c) || !Character.isDefined(c) || Character.isSurrogate((char) c)
                ? String.format("U+%04X", c) : "'" + (char) c + "'";
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            default -> "null";
        };
    }

    /** A reason the bytes are not usable text; a type of its own so no parser mistakes it for a syntax error. */
    private static class BadText extends IOException {
        BadText(String reason, Throwable cause) {
            super(reason, cause);
        }
    }

    /** The file is over the size limit: what is left of it is not worth reading. */
    private static final class TooLarge extends BadText {
        TooLarge(String reason) {
            super(reason, null);
        }
    }

    /** Carries the sink's own IOException past the parsers' error handling, which would otherwise blame the file. */
    private static final class SinkFailure extends RuntimeException {
        SinkFailure(IOException cause) {
            super(cause);
        }
    }

    /**
     * Rejects undecodable bytes and NUL characters, and bounds the length of one request as written: a line of
     * .jsonl, a record of .csv (line breaks inside double quotes do not end it), a unit of .json marked by
     * {@link #startUnit()}. Only read in blocks, by the BufferedReader above it, so only the block read is checked and
     * the text held above it is at most one request plus a block.
     */
    private final class CheckedText extends FilterReader {
        private final Format format;
        private long position;
        private long unitStart;
        private int line = 1;
        private int unitLine = 1;
        private boolean quoted;

        CheckedText(Reader in, Format format) {
            super(in);
            this.format = format;
        }

        /** The next characters begin a new unit (.json: the next request or top-level field). */
        void startUnit() {
            unitStart = position;
            unitLine = line;
        }

        @Override
        public int read(char[] buffer, int offset, int length) throws IOException {
            int count;
            try {
                count = in.read(buffer, offset, length);
            } catch (CharacterCodingException e) {
                throw new BadText("the file is not valid UTF-8 text; save it as UTF-8", e);
            }
            for (int i = offset; i < offset + count; i++) {
                char c = buffer[i];
                if (c == 0) {
                    throw new BadText("the file holds binary data (NUL characters), not text", null);
                }
                position++;
                if (c == '"' && format == Format.CSV) {
                    quoted = !quoted;
                } else if (c == '\n' || c == '\r') {
                    line += c == '\n' ? 1 : 0;
                    if (format != Format.JSON && !quoted) {
                        startUnit();
                    }
                }
                if (position - unitStart > limits.maxLineLength()) {
                    throw new BadText((switch (format) {
                        case JSONL -> "line " + unitLine;
                        case CSV -> "the row starting on line " + unitLine;
                        case JSON -> "the request starting on line " + unitLine;
                    }) + " is longer than " + limits.maxLineLength() + " characters (sora.input.max-line-length)", null);
                }
            }
            return count;
        }
    }
}

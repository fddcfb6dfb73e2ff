package dev.sorabatch.simulator;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the text fields of a {@code multipart/form-data} body (RFC 7578) in one pass. File parts (those with a
 * {@code filename}, such as {@code input_reference}) are skipped as they stream by, so an image costs no memory.
 */
final class MultipartForm {

    private static final Pattern BOUNDARY = Pattern.compile(";\\s*boundary=(?:\"([^\"]+)\"|([^;\\s]+))",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern DISPOSITION_PARAM = Pattern.compile(";\\s*(name|filename\\*?)\\s*=\\s*(?:\"([^\"]*)\"|([^;\\s]*))",
            Pattern.CASE_INSENSITIVE);
    private static final int MAX_HEADER_LINE = 8192;

    private MultipartForm() {
    }

    /** The boundary declared by a {@code Content-Type} header value. */
    static String boundary(String contentType) {
        Matcher m = BOUNDARY.matcher(contentType);
        if (!m.find()) {
            throw malformed("Content-Type lacks a boundary");
        }
        String boundary = m.group(1) != null ? m.group(1) : m.group(2);
        // delimiter matching relies on CR appearing only as the delimiter's first byte
        if (boundary.indexOf('\r') >= 0 || boundary.indexOf('\n') >= 0) {
            throw malformed("invalid boundary");
        }
        return boundary;
    }

    /** Text fields by name; of repeated fields the first wins. */
    static Map<String, String> read(InputStream body, String boundary) throws IOException {
        byte[] delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        // the first delimiter has no leading CRLF of its own; supplying one makes all delimiters alike
        InputStream in = new SequenceInputStream(new ByteArrayInputStream(new byte[] {'\r', '\n'}),
                new BufferedInputStream(body));
        copyUntil(delimiter, in, OutputStream.nullOutputStream());
        Map<String, String> fields = new LinkedHashMap<>();
        while (true) {
            int first = in.read();
            int second = in.read();
            if (first == '-' && second == '-') {
                return fields;
            }
            if (first != '\r' || second != '\n') {
                throw malformed("bad delimiter line");
            }
            String name = null;
            boolean file = false;
            for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-disposition:")) {
                    Matcher m = DISPOSITION_PARAM.matcher(line);
                    while (m.find()) {
                        if (m.group(1).equalsIgnoreCase("name")) {
                            name = m.group(2) != null ? m.group(2) : m.group(3);
                        } else {
                            file = true;
                        }
                    }
                }
            }
            if (name == null) {
                throw malformed("part without a name");
            }
            if (file) {
                copyUntil(delimiter, in, OutputStream.nullOutputStream());
            } else {
                ByteArrayOutputStream value = new ByteArrayOutputStream();
                copyUntil(delimiter, in, value);
                fields.putIfAbsent(name, value.toString(StandardCharsets.UTF_8));
            }
        }
    }

    /**
     * Copies bytes to {@code out} up to and excluding the next delimiter, which is consumed. Because CR occurs in
     * the delimiter only as its first byte, after a mismatch only the mismatching byte can start a new match.
     */
    private static void copyUntil(byte[] delimiter, InputStream in, OutputStream out) throws IOException {
        int matched = 0;
        while (matched < delimiter.length) {
            int b = in.read();
            if (b < 0) {
                throw malformed("body ends before the closing boundary");
            }
            if (b == (delimiter[matched] & 0xff)) {
                matched++;
            } else {
                out.write(delimiter, 0, matched);
                matched = b == delimiter[0] ? 1 : 0;
                if (matched == 0) {
                    out.write(b);
                }
            }
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0 || line.size() > MAX_HEADER_LINE) {
                throw malformed("unterminated part header");
            }
            line.write(b);
        }
        String text = line.toString(StandardCharsets.UTF_8);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    private static ApiException malformed(String reason) {
        return ApiException.invalid(null, "invalid_multipart", "Could not parse multipart form data: " + reason + ".");
    }
}

package dev.sorabatch.catalog;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A value of a YAML document with its place in it, so that every problem found in a catalogue file names the
 * file, the line and the field. Jackson's tree keeps no positions, so the lines are indexed by JSON pointer in a
 * first pass over the tokens.
 */
record YamlNode(Document document, JsonPointer pointer, String path, JsonNode value) {

    private static final YAMLFactory YAML = YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    // prices keep the digits they are written with (0.40, not 0.4)
    private static final ObjectMapper MAPPER = new ObjectMapper(YAML).enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9_-]+");

    /** The file's name and the line of each key and item. */
    record Document(String name, Map<JsonPointer, Integer> lines) {
    }

    /** The document's root; an empty document reads as an empty mapping. */
    static YamlNode parse(String name, byte[] content) {
        Map<JsonPointer, Integer> lines = new HashMap<>();
        JsonNode root;
        try {
            try (JsonParser parser = YAML.createParser(content)) {
                while (parser.nextToken() != null) {
                    lines.putIfAbsent(parser.getParsingContext().pathAsPointer(), parser.currentTokenLocation().getLineNr());
                }
            }
            root = MAPPER.readTree(content);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new CatalogException(name + (at == null ? "" : ", line " + at.getLineNr()) + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        boolean empty = root == null || root.isMissingNode() || root.isNull();
        return new YamlNode(new Document(name, lines), JsonPointer.empty(), "",
                empty ? JsonNodeFactory.instance.objectNode() : root);
    }

    /** The fields of a mapping that have values, in file order; a field outside {@code known} is a problem. */
    Map<String, YamlNode> fields(Set<String> known) {
        Map<String, YamlNode> fields = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : entries()) {
            YamlNode field = child(e.getKey(), e.getValue());
            if (!known.contains(e.getKey())) {
                throw field.problem("is not a catalogue field (known here: " + String.join(", ", new TreeSet<>(known)) + ")");
            }
            if (!e.getValue().isNull()) {
                fields.put(e.getKey(), field);
            }
        }
        return fields;
    }

    /** The entries of a mapping whose keys are names (providers, models), in file order. */
    Map<String, YamlNode> named() {
        Map<String, YamlNode> named = new LinkedHashMap<>();
        entries().forEach(e -> named.put(e.getKey(), child(e.getKey(), e.getValue())));
        return named;
    }

    boolean isList() {
        return value.isArray();
    }

    boolean isMapping() {
        return value.isObject();
    }

    boolean isNumber() {
        return value.isNumber();
    }

    /** The items of a non-empty list. */
    List<YamlNode> items() {
        if (!value.isArray() || value.isEmpty()) {
            throw problem("must be a list such as [a, b] (got " + shown() + ")");
        }
        List<YamlNode> items = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            items.add(new YamlNode(document, pointer.appendIndex(i), path + "[" + i + "]", value.get(i)));
        }
        return items;
    }

    String text() {
        if (!value.isTextual() || value.asText().isBlank()) {
            throw problem("must be text (got " + shown() + ")");
        }
        return value.asText().strip();
    }

    int wholeNumber(int min, int max) {
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < min || value.intValue() > max) {
            throw problem("must be a whole number from " + min + " to " + max + " (got " + shown() + ")");
        }
        return value.intValue();
    }

    BigDecimal usd() {
        if (!value.isNumber() || value.decimalValue().signum() < 0) {
            throw problem("must be a price in USD per second such as 0.40 (got " + shown() + ")");
        }
        return value.decimalValue();
    }

    boolean bool() {
        if (!value.isBoolean()) {
            throw problem("must be true or false (got " + shown() + ")");
        }
        return value.booleanValue();
    }

    /** A problem with this value: {@code <file>, line <n>, <field path>: <message>}. */
    CatalogException problem(String message) {
        return new CatalogException(document.name() + ", line " + line() + ", " + (path.isEmpty() ? "top level" : path)
                + ": " + message);
    }

    private YamlNode child(String name, JsonNode child) {
        String step = PLAIN_NAME.matcher(name).matches() ? (path.isEmpty() ? name : "." + name) : "[\"" + name + "\"]";
        return new YamlNode(document, pointer.appendProperty(name), path + step, child);
    }

    private Iterable<Map.Entry<String, JsonNode>> entries() {
        if (!value.isObject()) {
            throw problem("must be a mapping of names to values (got " + shown() + ")");
        }
        return value.properties();
    }

    /** The line of this value's key (or item), else of the nearest enclosing one. */
    private int line() {
        for (JsonPointer p = pointer; p != null; p = p.head()) {
            Integer line = document.lines().get(p);
            if (line != null) {
                return line;
            }
        }
        return 1;
    }

    private String shown() {
        if (value.isTextual()) {
            String text = value.asText();
            return "\"" + (text.length() <= 60 ? text : text.substring(0, 60) + "…") + "\"";
        }
        return value.isContainerNode() ? (value.isArray() ? "a list" : "a mapping") : value.toString();
    }
}

package dev.sorabatch.manifest;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads a {@code manifest.json} as a stream: the batch's own fields are kept (they are few), the items are handed
 * over one at a time and dropped, so a batch of 100,000 items is never in memory at once. Fields this version does
 * not know are passed on untouched; fields that are missing or of another type read as absent.
 */
final class GalleryManifest {

    private static final ObjectMapper JSON = new ObjectMapper();

    interface ItemHandler {
        void item(JsonNode item) throws IOException;
    }

    private GalleryManifest() {
    }

    /**
     * @return the batch's fields other than {@code items}, in the file's order
     * @throws IOException if the file is not a JSON object whose {@code items} is an array of objects
     */
    static ObjectNode read(Path manifest, ItemHandler items) throws IOException {
        ObjectNode batch = JSON.createObjectNode();
        try (JsonParser p = JSON.createParser(manifest.toFile())) {
            expect(p.nextToken() == JsonToken.START_OBJECT, manifest, "is not a JSON object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (!field.equals("items")) {
                    batch.set(field, p.readValueAsTree());
                    continue;
                }
                expect(value == JsonToken.START_ARRAY, manifest, "has no array of items");
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    expect(p.currentToken() == JsonToken.START_OBJECT, manifest, "has an item that is not an object");
                    items.item(p.readValueAsTree());
                }
            }
        }
        return batch;
    }

    private static void expect(boolean condition, Path manifest, String problem) throws IOException {
        if (!condition) {
            throw new IOException(manifest + " " + problem);
        }
    }

    /** The text of a string or number field; null when absent, null or of another type. */
    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && (value.isTextual() || value.isNumber() || value.isBoolean()) ? value.asText() : null;
    }

    static BigDecimal number(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isNumber() ? value.decimalValue() : null;
    }

    /** An ISO-8601 instant; null when absent or unreadable (the page then leaves it out). */
    static Instant instant(JsonNode node, String field) {
        String value = text(node, field);
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}

package dev.sorabatch.webhook;

import java.io.IOException;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** One provider's way of proving that a callback is its own. */
interface CallbackCheck {

    ObjectMapper JSON = new ObjectMapper();

    /**
     * @param header the request's own header of that name (never a query parameter), or null
     * @param body   the raw body, exactly as received
     * @param now    epoch millis
     */
    Delivery check(Function<String, String> header, byte[] body, long now) throws Refused;

    /** The epoch millis of a timestamp header in seconds, if it is within {@code tolerance} of now. */
    static long fresh(String timestamp, long now, long tolerance) throws Refused {
        long millis;
        try {
            millis = Math.multiplyExact(Long.parseLong(timestamp.trim()), 1000L);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new Refused(Outcome.MALFORMED, "the timestamp is not whole seconds since the epoch");
        }
        if (Math.abs(now - millis) > tolerance) {
            throw new Refused(Outcome.STALE, "the timestamp is more than " + tolerance / 1000 + " s from now");
        }
        return millis;
    }

    /** The body as a JSON object. */
    static JsonNode object(byte[] body) throws Refused {
        try {
            JsonNode node = JSON.readTree(body);
            if (node != null && node.isObject()) {
                return node;
            }
        } catch (IOException e) {
            // refused below
        }
        throw new Refused(Outcome.MALFORMED, "the body is not a JSON object");
    }

    /** The first of {@code fields} with a text value, or a refusal naming them. */
    static String text(JsonNode node, String... fields) throws Refused {
        for (String field : fields) {
            String value = node.path(field).asText("");
            if (node.path(field).isTextual() && !value.isBlank()) {
                return value;
            }
        }
        throw new Refused(Outcome.MALFORMED, "the body names no job (" + String.join(", ", fields) + ")");
    }
}

package dev.sorabatch.ingest;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads the objects named by an S3 event message, in the shapes S3 delivers to SQS:
 * <ul>
 *   <li>S3 event notification: {@code Records[].s3.bucket.name}, {@code Records[].s3.object.key} (URL-encoded,
 *       spaces as '+'), {@code eTag}; only {@code ObjectCreated:*} records count;</li>
 *   <li>the same wrapped by SNS ({@code "Type": "Notification"}, the event as the string {@code Message});</li>
 *   <li>EventBridge: {@code detail-type "Object Created"}, {@code detail.bucket.name}, {@code detail.object.key}
 *       (not encoded), {@code detail.object.etag}.</li>
 * </ul>
 * The {@code s3:TestEvent} S3 sends when a notification is set up yields no objects.
 */
public final class S3Events {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** An object an event names; {@code etag} is empty when the event did not carry one. */
    public record ObjectRef(String bucket, String key, String etag) {
    }

    private S3Events() {
    }

    /** @throws IllegalArgumentException when the message is not an S3 event (the reason says why) */
    public static List<ObjectRef> parse(String message) {
        JsonNode root;
        try {
            root = JSON.readTree(message);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        if ("Notification".equals(root.path("Type").asText()) && root.path("Message").isTextual()) {
            return parse(root.path("Message").asText());
        }
        if ("s3:TestEvent".equals(root.path("Event").asText())) {
            return List.of();
        }
        if (root.path("Records").isArray()) {
            return records(root.path("Records"));
        }
        if ("aws.s3".equals(root.path("source").asText()) && root.path("detail").isObject()) {
            if (!"Object Created".equals(root.path("detail-type").asText())) {
                return List.of();
            }
            JsonNode detail = root.path("detail");
            return List.of(new ObjectRef(required(detail, "bucket", "name"), required(detail, "object", "key"),
                    detail.path("object").path("etag").asText("")));
        }
        throw new IllegalArgumentException("not an S3 event: neither Records[] nor an EventBridge aws.s3 event");
    }

    private static List<ObjectRef> records(JsonNode records) {
        List<ObjectRef> refs = new ArrayList<>();
        for (JsonNode record : records) {
            if (!record.path("eventName").asText("ObjectCreated:").startsWith("ObjectCreated:")) {
                continue;
            }
            JsonNode s3 = record.path("s3");
            String bucket = required(s3, "bucket", "name");
            String key = URLDecoder.decode(required(s3, "object", "key"), StandardCharsets.UTF_8);
            refs.add(new ObjectRef(bucket, key, s3.path("object").path("eTag").asText("")));
        }
        return refs;
    }

    private static String required(JsonNode node, String parent, String field) {
        JsonNode value = node.path(parent).path(field);
        if (!value.isTextual() || value.asText().isEmpty()) {
            throw new IllegalArgumentException("S3 event without " + parent + "." + field);
        }
        return value.asText();
    }
}

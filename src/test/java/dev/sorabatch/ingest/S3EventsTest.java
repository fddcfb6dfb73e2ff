package dev.sorabatch.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class S3EventsTest {

    static String notification(String bucket, String encodedKey, String eventName) {
        return """
                {"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","eventName":"%s",
                  "s3":{"bucket":{"name":"%s"},"object":{"key":"%s","size":12,"eTag":"abc123"}}}]}"""
                .formatted(eventName, bucket, encodedKey);
    }

    @Test
    void notificationKeysAreUrlDecodedWithPlusAsSpace() {
        assertThat(S3Events.parse(notification("in", "incoming/my+prompts+%C3%A9t%C3%A9%2B1.csv", "ObjectCreated:Put")))
                .containsExactly(new S3Events.ObjectRef("in", "incoming/my prompts été+1.csv", "abc123"));
    }

    @Test
    void onlyObjectCreatedRecordsCount() {
        assertThat(S3Events.parse(notification("in", "a.csv", "ObjectRemoved:Delete"))).isEmpty();
        assertThat(S3Events.parse(notification("in", "a.csv", "ObjectCreated:CompleteMultipartUpload"))).hasSize(1);
    }

    @Test
    void testEventYieldsNothing() {
        assertThat(S3Events.parse("""
                {"Service":"Amazon S3","Event":"s3:TestEvent","Time":"2026-11-25T10:00:00.000Z","Bucket":"in"}""")).isEmpty();
    }

    @Test
    void eventBridgeShapeIsRead() {
        String event = """
                {"version":"0","detail-type":"Object Created","source":"aws.s3",
                 "detail":{"bucket":{"name":"in"},"object":{"key":"incoming/a b.json","etag":"e1"}}}""";
        assertThat(S3Events.parse(event)).containsExactly(new S3Events.ObjectRef("in", "incoming/a b.json", "e1"));
        assertThat(S3Events.parse(event.replace("Object Created", "Object Deleted"))).isEmpty();
    }

    @Test
    void snsEnvelopeIsUnwrapped() {
        String inner = notification("in", "x.csv", "ObjectCreated:Put");
        String envelope = "{\"Type\":\"Notification\",\"Message\":" + new com.fasterxml.jackson.databind.ObjectMapper()
                .valueToTree(inner) + "}";
        assertThat(S3Events.parse(envelope)).extracting(S3Events.ObjectRef::key).containsExactly("x.csv");
    }

    @Test
    void poisonMessagesAreRefusedWithTheReason() {
        assertThatThrownBy(() -> S3Events.parse("hello")).hasMessageStartingWith("not JSON");
        assertThatThrownBy(() -> S3Events.parse("[1,2]")).hasMessage("not a JSON object");
        assertThatThrownBy(() -> S3Events.parse("{\"foo\":1}")).hasMessageContaining("not an S3 event");
        assertThatThrownBy(() -> S3Events.parse("{\"Records\":[{\"eventName\":\"ObjectCreated:Put\",\"s3\":{}}]}"))
                .hasMessage("S3 event without bucket.name");
    }
}

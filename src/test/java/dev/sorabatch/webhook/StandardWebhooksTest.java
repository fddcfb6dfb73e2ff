package dev.sorabatch.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Standard Webhooks signatures against the specification's published vector (standard-webhooks/standard-webhooks
 * {@code libraries/java/src/test/java/com/standardwebhooks/WebhookTest.java}, {@code verifyWebhookSignWorks}), and the
 * check of a delivery: headers, timestamp window, job id.
 */
class StandardWebhooksTest {

    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    static final String TIMESTAMP = "1614265330";
    static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
    static final String SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    private static final long TOLERANCE = 300_000;

    @Test
    void signsThePublishedVectorExactly() {
        assertThat(StandardWebhooks.sign(StandardWebhooks.key(SECRET), ID, TIMESTAMP, BODY)).isEqualTo(SIGNATURE);
    }

    @Test
    void anyOneMatchingV1EntryOfTheListPasses() {
        byte[] key = StandardWebhooks.key(SECRET);
        assertThat(StandardWebhooks.matches(key, ID, TIMESTAMP, BODY, SIGNATURE)).isTrue();
        assertThat(StandardWebhooks.matches(key, ID, TIMESTAMP, BODY, "v1,bm9wZQ== " + SIGNATURE)).isTrue();
        assertThat(StandardWebhooks.matches(key, ID, TIMESTAMP, BODY, "v1,not base64! " + SIGNATURE)).isTrue();
    }

    @Test
    void aTamperedBodyAnotherKeyIdOrTimestampOrVersionFails() {
        byte[] key = StandardWebhooks.key(SECRET);
        byte[] tampered = "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8);
        assertThat(StandardWebhooks.matches(key, ID, TIMESTAMP, tampered, SIGNATURE)).isFalse();
        assertThat(StandardWebhooks.matches(StandardWebhooks.key("whsec_" + "b3RoZXIga2V5"), ID, TIMESTAMP, BODY,
                SIGNATURE)).isFalse();
        assertThat(StandardWebhooks.matches(key, "msg_other", TIMESTAMP, BODY, SIGNATURE)).isFalse();
        assertThat(StandardWebhooks.matches(key, ID, "1614265331", BODY, SIGNATURE)).isFalse();
        assertThat(StandardWebhooks.matches(key, ID, TIMESTAMP, BODY, SIGNATURE.replace("v1,", "v2,"))).isFalse();
    }

    @Test
    void aSecretWithoutItsPrefixOrNotBase64IsNoKey() {
        assertThatThrownBy(() -> StandardWebhooks.key("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StandardWebhooks.key("whsec_**")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSignedReplicatePredictionIsADeliveryOfItsJobRememberedUntilItWouldBeStale() throws Refused {
        byte[] body = "{\"id\":\"r123\",\"status\":\"succeeded\"}".getBytes(StandardCharsets.UTF_8);
        long now = Long.parseLong(TIMESTAMP) * 1000 + 299_000;
        Delivery delivery = check(StandardWebhooksCheck.REPLICATE_PREDICTION).check(
                headers(body, TIMESTAMP)::get, body, now);
        assertThat(delivery).isEqualTo(new Delivery(ID, Long.parseLong(TIMESTAMP) * 1000 + TOLERANCE, "r123"));
    }

    @Test
    void anOpenAiEventNamesItsVideoInData() throws Refused {
        byte[] body = "{\"id\":\"evt_1\",\"object\":\"event\",\"type\":\"video.completed\",\"data\":{\"id\":\"video_9\"}}"
                .getBytes(StandardCharsets.UTF_8);
        long now = Long.parseLong(TIMESTAMP) * 1000;
        assertThat(check(StandardWebhooksCheck.OPENAI_EVENT).check(headers(body, TIMESTAMP)::get, body, now).jobId())
                .isEqualTo("video_9");
    }

    @Test
    void refusesUnsignedStaleForgedAndUnreadableDeliveries() {
        byte[] body = "{\"id\":\"r123\"}".getBytes(StandardCharsets.UTF_8);
        long at = Long.parseLong(TIMESTAMP) * 1000;
        StandardWebhooksCheck check = check(StandardWebhooksCheck.REPLICATE_PREDICTION);
        Map<String, String> unsigned = headers(body, TIMESTAMP);
        unsigned.remove("webhook-signature");
        assertRefused(check, unsigned, body, at, Outcome.UNSIGNED);
        assertRefused(check, headers(body, TIMESTAMP), body, at + TOLERANCE + 1000, Outcome.STALE);
        assertRefused(check, headers(body, TIMESTAMP), body, at - TOLERANCE - 1000, Outcome.STALE);
        assertRefused(check, headers(body, TIMESTAMP), "{\"id\":\"r124\"}".getBytes(StandardCharsets.UTF_8), at,
                Outcome.BAD_SIGNATURE);
        assertRefused(check, headers(body, "soon"), body, at, Outcome.MALFORMED);
        byte[] noJob = "{\"status\":\"succeeded\"}".getBytes(StandardCharsets.UTF_8);
        assertRefused(check, headers(noJob, TIMESTAMP), noJob, at, Outcome.MALFORMED);
    }

    private static StandardWebhooksCheck check(StandardWebhooksCheck.JobId jobId) {
        return new StandardWebhooksCheck(StandardWebhooks.key(SECRET), TOLERANCE, jobId);
    }

    private static Map<String, String> headers(byte[] body, String timestamp) {
        Map<String, String> headers = new HashMap<>();
        headers.put("webhook-id", ID);
        headers.put("webhook-timestamp", timestamp);
        headers.put("webhook-signature", StandardWebhooks.sign(StandardWebhooks.key(SECRET), ID, timestamp, body));
        return headers;
    }

    static void assertRefused(CallbackCheck check, Map<String, String> headers, byte[] body, long now, Outcome outcome) {
        assertThatThrownBy(() -> check.check(headers::get, body, now)).isInstanceOfSatisfying(Refused.class,
                e -> assertThat(e.outcome()).isEqualTo(outcome));
    }
}

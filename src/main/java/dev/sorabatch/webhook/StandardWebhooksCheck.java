package dev.sorabatch.webhook;

import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Standard Webhooks callbacks ({@link StandardWebhooks}): OpenAI's events name the object in {@code data.id}
 * (openai-python {@code types/webhooks/*_webhook_event.py}), Replicate's are the prediction itself, {@code id}
 * (replicate.com/docs/topics/webhooks). {@code webhook-id} is the delivery's id, the same on the sender's retries.
 */
final class StandardWebhooksCheck implements CallbackCheck {

    /** Where a provider's callback names the job. */
    interface JobId {
        String of(JsonNode body) throws Refused;
    }

    static final JobId OPENAI_EVENT = body -> CallbackCheck.text(body.path("data"), "id");
    static final JobId REPLICATE_PREDICTION = body -> CallbackCheck.text(body, "id");

    private final byte[] key;
    private final long tolerance;
    private final JobId jobId;

    StandardWebhooksCheck(byte[] key, long toleranceMillis, JobId jobId) {
        this.key = key.clone();
        this.tolerance = toleranceMillis;
        this.jobId = jobId;
    }

    @Override
    public Delivery check(Function<String, String> header, byte[] body, long now) throws Refused {
        String id = header.apply("webhook-id");
        String timestamp = header.apply("webhook-timestamp");
        String signature = header.apply("webhook-signature");
        if (id == null || timestamp == null || signature == null || id.isBlank()) {
            throw new Refused(Outcome.UNSIGNED, "webhook-id, webhook-timestamp and webhook-signature are required");
        }
        long at = CallbackCheck.fresh(timestamp, now, tolerance);
        if (!StandardWebhooks.matches(key, id, timestamp, body, signature)) {
            throw new Refused(Outcome.BAD_SIGNATURE, "no v1 signature matches the configured secret");
        }
        return new Delivery(id, at + tolerance, jobId.of(CallbackCheck.object(body)));
    }
}

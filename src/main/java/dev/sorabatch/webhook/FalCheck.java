package dev.sorabatch.webhook;

import java.io.IOException;
import java.util.function.Function;

/**
 * fal's signed callbacks ({@link FalSignatures}). The request id in {@code X-Fal-Webhook-Request-Id} is signed, and
 * is the queue's request id the submit answered, so the job is named by the header, not the body. fal sends each
 * retry with a new timestamp, so request id and timestamp together identify one delivery.
 */
final class FalCheck implements CallbackCheck {

    private final FalKeys keys;
    private final long tolerance;

    FalCheck(FalKeys keys, long toleranceMillis) {
        this.keys = keys;
        this.tolerance = toleranceMillis;
    }

    @Override
    public Delivery check(Function<String, String> header, byte[] body, long now) throws Refused {
        String requestId = header.apply("X-Fal-Webhook-Request-Id");
        String userId = header.apply("X-Fal-Webhook-User-Id");
        String timestamp = header.apply("X-Fal-Webhook-Timestamp");
        String signature = header.apply("X-Fal-Webhook-Signature");
        if (requestId == null || userId == null || timestamp == null || signature == null || requestId.isBlank()) {
            throw new Refused(Outcome.UNSIGNED, "the X-Fal-Webhook-Request-Id, -User-Id, -Timestamp and -Signature "
                    + "headers are required");
        }
        long at = CallbackCheck.fresh(timestamp, now, tolerance);
        boolean signed;
        try {
            signed = keys.verify(FalSignatures.message(requestId, userId, timestamp, body), signature);
        } catch (IOException e) {
            throw new Refused(Outcome.KEYS_UNAVAILABLE, "fal's signing keys could not be read: " + e.getMessage());
        }
        if (!signed) {
            throw new Refused(Outcome.BAD_SIGNATURE, "the signature is not made by any of fal's published keys");
        }
        return new Delivery(requestId + "@" + timestamp.trim(), at + tolerance, requestId);
    }
}

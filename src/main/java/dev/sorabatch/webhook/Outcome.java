package dev.sorabatch.webhook;

import java.util.Locale;

/** What became of one callback: its label in {@code sora.webhook.callbacks{outcome}} and the HTTP status answered. */
public enum Outcome {
    /** verified; the job's status check is due now */
    ACCEPTED(200),
    /** verified, but the job is no longer waiting on the provider: nothing to do */
    SETTLED(200),
    /** no signature headers */
    UNSIGNED(401),
    /** a signature that is not the provider's */
    BAD_SIGNATURE(401),
    /** signed more than the tolerance away from now */
    STALE(401),
    /** a delivery already received */
    REPLAYED(409),
    /** not a callback this endpoint can read (no job id, a form body, a bad timestamp) */
    MALFORMED(400),
    /** no such provider, or one without callbacks */
    UNKNOWN_PROVIDER(404),
    /** a provider with callbacks whose secret is not configured here */
    NOT_CONFIGURED(404),
    /** no job of that provider with that id in the store */
    UNKNOWN_JOB(404),
    /** the provider's published keys could not be read: it may try again */
    KEYS_UNAVAILABLE(503);

    private final int status;

    Outcome(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}

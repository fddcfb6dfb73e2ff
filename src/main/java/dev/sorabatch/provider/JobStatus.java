package dev.sorabatch.provider;

import java.util.Locale;

/**
 * Lifecycle of a provider job, every provider's statuses mapped onto these ({@code queued|in_progress|completed|
 * failed|cancelled}); a job the provider holds back over a concurrency limit (Runway's THROTTLED, fal's IN_QUEUE)
 * is queued.
 */
public enum JobStatus {
    QUEUED, IN_PROGRESS, COMPLETED, FAILED, CANCELLED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static JobStatus fromWire(String value) {
        return JobStatus.valueOf(value.trim().toUpperCase(Locale.ROOT));
    }

    public boolean finished() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }
}

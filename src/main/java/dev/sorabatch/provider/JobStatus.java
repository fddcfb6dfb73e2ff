package dev.sorabatch.provider;

import java.util.Locale;

/** Lifecycle of a provider job, as on the OpenAI wire ({@code queued|in_progress|completed|failed}). */
public enum JobStatus {
    QUEUED, IN_PROGRESS, COMPLETED, FAILED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static JobStatus fromWire(String value) {
        return JobStatus.valueOf(value.trim().toUpperCase(Locale.ROOT));
    }

    public boolean finished() {
        return this == COMPLETED || this == FAILED;
    }
}

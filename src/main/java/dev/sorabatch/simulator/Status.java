package dev.sorabatch.simulator;

import java.util.Locale;

/** A simulated job's status, as the OpenAI Videos API writes it ({@code queued|in_progress|completed|failed}). */
enum Status {
    QUEUED, IN_PROGRESS, COMPLETED, FAILED;

    String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}

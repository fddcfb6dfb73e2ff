package dev.sorabatch.poll;

import dev.sorabatch.settings.Settings;

/** {@code sora.poll.*}: the bounds of the status-check pace, and the first check before any duration was learned. */
public record PollSettings(long minIntervalMillis, long maxIntervalMillis, long initialIntervalMillis) {

    public static PollSettings from(Settings s) {
        long min = s.millis("sora.poll.min-interval");
        long max = s.millis("sora.poll.max-interval", 1);
        s.ordered("sora.poll.min-interval", min, "sora.poll.max-interval", max);
        return new PollSettings(min, max, s.millis("sora.poll.initial-interval"));
    }
}

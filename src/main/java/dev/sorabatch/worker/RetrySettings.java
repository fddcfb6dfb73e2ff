package dev.sorabatch.worker;

import dev.sorabatch.settings.Settings;

/**
 * {@code sora.retry.*}: the backoff of creates, which cost money and back off far, and of free calls (status
 * checks, downloads, listings, output and manifest writes), which back off briefly; multiplier, jitter and the
 * Retry-After cap are shared.
 */
public record RetrySettings(Backoff create, Backoff free) {

    public static RetrySettings from(Settings s) {
        return new RetrySettings(
                backoff(s, "sora.retry.initial-delay", "sora.retry.max-delay", s.integer("sora.retry.max-attempts", 1)),
                backoff(s, "sora.retry.free.initial-delay", "sora.retry.free.max-delay",
                        s.integer("sora.retry.free.max-attempts", 1)));
    }

    private static Backoff backoff(Settings s, String initialKey, String maxKey, int maxAttempts) {
        long initial = s.millis(initialKey, 1);
        long max = s.millis(maxKey, 1);
        s.ordered(initialKey, initial, maxKey, max);
        // resilience4j's randomized backoff takes a factor below 1
        return new Backoff(initial, s.decimal("sora.retry.multiplier", 1, 10), s.decimal("sora.retry.jitter", 0, 0.99),
                max, s.millis("sora.retry.retry-after-cap"), maxAttempts);
    }
}

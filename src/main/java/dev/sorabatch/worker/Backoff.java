package dev.sorabatch.worker;

import java.time.Duration;

import io.github.resilience4j.core.IntervalFunction;

/**
 * When to try a failed call again: exponential backoff with jitter, or the provider's own {@code Retry-After} when
 * it sent one (capped, so a hostile or mistaken header cannot park the pipeline). Creates and free calls each have
 * their own ({@link RetrySettings}).
 */
public final class Backoff {

    private final IntervalFunction backoff;
    private final long retryAfterCapMillis;
    private final int maxAttempts;

    public Backoff(long initialMillis, double multiplier, double jitter, long maxMillis, long retryAfterCapMillis,
                   int maxAttempts) {
        this.backoff = IntervalFunction.ofExponentialRandomBackoff(initialMillis, multiplier, jitter, maxMillis);
        this.retryAfterCapMillis = retryAfterCapMillis;
        this.maxAttempts = maxAttempts;
    }

    /** Delay before attempt number {@code failures + 1}. */
    public long delayMillis(int failures, Duration retryAfter) {
        if (retryAfter != null) {
            return Math.min(retryAfter.toMillis(), retryAfterCapMillis);
        }
        return backoff.apply(Math.max(1, failures));
    }

    /** Tries that failed this many times are given up. */
    public boolean exhausted(int attempts) {
        return attempts >= maxAttempts;
    }
}

package dev.sorabatch.provider;

import java.time.Duration;

import io.github.resilience4j.core.IntervalFunction;

/**
 * When to try a failed provider call again: exponential backoff with jitter, or the provider's own
 * {@code Retry-After} when it sent one (capped, so a hostile or mistaken header cannot park the pipeline).
 */
public final class RetryPolicy {

    private final IntervalFunction backoff;
    private final long retryAfterCapMillis;
    private final int maxAttempts;

    public RetryPolicy(long initialMillis, double multiplier, double jitter, long maxMillis, long retryAfterCapMillis,
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

    /** Creates that failed this many times without reaching the provider are given up. */
    public boolean exhausted(int attempts) {
        return attempts >= maxAttempts;
    }
}

package dev.sorabatch.submit;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * At most {@code limit} creates in any sliding window of one minute, plus a pause when the provider answered
 * 429 with {@code Retry-After}. A sliding log rather than a fixed-window limiter (resilience4j, Throttle EIP):
 * fixed windows admit up to twice the limit across a window boundary, which a provider enforcing a sliding
 * window answers with 429s we would pay for in time.
 */
public final class CreateRateLimiter {

    private final Clock clock;
    private final int limit;
    private final long windowMillis;
    private final Deque<Long> granted = new ArrayDeque<>();
    private long pausedUntil;

    /**
     * @param marginMillis added to the minute: a create is granted a moment before it reaches the provider, and
     *                     that moment varies with thread scheduling, so the provider's window is ours plus the margin
     */
    public CreateRateLimiter(Clock clock, int perMinute, long marginMillis) {
        this.clock = clock;
        this.limit = perMinute;
        this.windowMillis = 60_000 + marginMillis;
    }

    /** Creates that could be granted now; 0 while paused. */
    public synchronized int available() {
        long now = clock.millis();
        if (now < pausedUntil) {
            return 0;
        }
        while (!granted.isEmpty() && granted.peekFirst() <= now - windowMillis) {
            granted.pollFirst();
        }
        return Math.max(0, limit - granted.size());
    }

    /** Grants up to {@code wanted} creates now and records them. */
    public synchronized int acquire(int wanted) {
        int n = Math.min(wanted, available());
        long now = clock.millis();
        for (int i = 0; i < n; i++) {
            granted.addLast(now);
        }
        return n;
    }

    /** No create before {@code untilMillis} (the provider said so with Retry-After). */
    public synchronized void pauseUntil(long untilMillis) {
        pausedUntil = Math.max(pausedUntil, untilMillis);
    }

    public synchronized long pausedUntil() {
        return pausedUntil;
    }
}

package dev.sorabatch.submit;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * At most {@code limit} creates in any sliding window of one minute, spread evenly: at most {@code burst} back to
 * back, the allowance refilling continuously at the per-minute rate; plus a pause when the provider answered 429
 * with {@code Retry-After}.
 * <p>
 * A sliding log rather than a fixed-window limiter (resilience4j, Throttle EIP): fixed windows admit up to twice
 * the limit across a window boundary, which a provider enforcing a sliding window answers with 429s we would pay
 * for in time. The burst bound is there because providers quantise their per-minute limits ("60,000 requests per
 * minute may be enforced as 1,000 per second"): a whole minute's allowance sent at once would meet 429s.
 */
public final class CreateRateLimiter {

    private final Clock clock;
    private final int limit;
    private final int burst;
    private final long windowMillis;
    private final double perMilli;
    private final Deque<Long> granted = new ArrayDeque<>();
    private double allowance;
    private long allowanceAt;
    private long pausedUntil;

    /** The sliding minute only: the whole minute's allowance may go at once. */
    public CreateRateLimiter(Clock clock, int perMinute, long marginMillis) {
        this(clock, perMinute, perMinute, marginMillis);
    }

    /**
     * @param burst        creates granted back to back at most (1 = evenly spaced); capped at {@code perMinute}
     * @param marginMillis added to the minute: a create is granted a moment before it reaches the provider, and
     *                     that moment varies with thread scheduling, so the provider's window is ours plus the margin
     */
    public CreateRateLimiter(Clock clock, int perMinute, int burst, long marginMillis) {
        if (perMinute < 1 || burst < 1) {
            throw new IllegalArgumentException("Need perMinute >= 1 and burst >= 1");
        }
        this.clock = clock;
        this.limit = perMinute;
        this.burst = Math.min(burst, perMinute);
        this.windowMillis = 60_000 + marginMillis;
        this.perMilli = perMinute / (double) windowMillis;
        this.allowance = this.burst;
        this.allowanceAt = clock.millis();
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
        allowance = Math.min(burst, allowance + (now - allowanceAt) * perMilli);
        allowanceAt = now;
        return (int) Math.max(0, Math.min(limit - granted.size(), Math.floor(allowance + 1e-9)));
    }

    /** Grants up to {@code wanted} creates now and records them. */
    public synchronized int acquire(int wanted) {
        int n = Math.min(wanted, available());
        long now = clock.millis();
        for (int i = 0; i < n; i++) {
            granted.addLast(now);
        }
        allowance -= n;
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

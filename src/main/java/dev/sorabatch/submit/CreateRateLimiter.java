package dev.sorabatch.submit;

import dev.sorabatch.store.ProviderAccount;

/**
 * At most {@code limit} creates in any sliding window of one minute, spread evenly: at most {@code burst} back to
 * back, the allowance refilling continuously at the per-minute rate; plus a pause when the provider answered 429
 * with {@code Retry-After}. The grants and the allowance are the provider account's in the job store, shared by
 * every instance ({@link dev.sorabatch.store.ProviderAccounts}); this class is the rule applied to them under the
 * account's lock.
 * <p>
 * A sliding log rather than a fixed-window limiter (resilience4j, Throttle EIP): fixed windows admit up to twice
 * the limit across a window boundary, which a provider enforcing a sliding window answers with 429s we would pay
 * for in time. The burst bound is there because providers quantise their per-minute limits ("60,000 requests per
 * minute may be enforced as 1,000 per second"): a whole minute's allowance sent at once would meet 429s.
 */
final class CreateRateLimiter {

    private final int limit;
    private final int burst;
    private final long windowMillis;
    private final double perMilli;

    /**
     * @param burst        creates granted back to back at most (1 = evenly spaced); capped at {@code perMinute}
     * @param marginMillis added to the minute: a create is granted a moment before it reaches the provider, and
     *                     that moment varies with thread scheduling, so the provider's window is ours plus the margin
     */
    CreateRateLimiter(int perMinute, int burst, long marginMillis) {
        if (perMinute < 1 || burst < 1) {
            throw new IllegalArgumentException("Need perMinute >= 1 and burst >= 1");
        }
        this.limit = perMinute;
        this.burst = Math.min(burst, perMinute);
        this.windowMillis = 60_000 + marginMillis;
        this.perMilli = perMinute / (double) windowMillis;
    }

    /** The sliding window the account's grants are counted over. */
    long windowMillis() {
        return windowMillis;
    }

    /** Creates that could be granted now, given those granted in the window; 0 while paused. */
    int available(ProviderAccount account, int grantedInWindow, long now) {
        if (now < account.pausedUntil()) {
            return 0;
        }
        return (int) Math.max(0, Math.min(limit - grantedInWindow, Math.floor(allowance(account, now) + 1e-9)));
    }

    /** Takes {@code creates} from the burst allowance (gives them back when negative). */
    void granted(ProviderAccount account, int creates, long now) {
        account.allowance(Math.min(burst, allowance(account, now) - creates), now);
    }

    /** No create before {@code untilMillis} (the provider said so with Retry-After). */
    static void pauseUntil(ProviderAccount account, long untilMillis) {
        if (untilMillis > account.pausedUntil()) {
            account.pausedUntil(untilMillis);
        }
    }

    /** The allowance refilled up to now; the whole burst before the account's first grant. */
    private double allowance(ProviderAccount account, long now) {
        if (account.allowance() == null) {
            return burst;
        }
        return Math.min(burst, account.allowance() + Math.max(0, now - account.allowanceAt()) * perMilli);
    }
}

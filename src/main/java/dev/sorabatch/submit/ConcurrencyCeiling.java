package dev.sorabatch.submit;

import java.util.function.IntSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sorabatch.store.ProviderAccount;

/**
 * The provider may allow fewer jobs at once than {@code maxInFlight}. When it refuses a create for that reason
 * (a 429 about concurrent jobs), the ceiling becomes the limit it names, or else the number in flight at that moment,
 * so freed slots are no longer met by bursts of creates that only earn 429s. The ceiling is probed one higher after a
 * quiet spell (a minute when it was inferred, ten when the provider named it), up to {@code maxInFlight}, in case
 * the limit was raised. The ceiling is the provider account's in the job store: learned by one instance, kept to by
 * all, and probed by the one whose claim finds the spell over; this class is the rule applied under the account's
 * lock.
 */
final class ConcurrencyCeiling {

    private static final Logger LOG = LoggerFactory.getLogger(ConcurrencyCeiling.class);
    private static final Pattern CONCURRENCY = Pattern.compile("(?i)concurren|in[- ]flight|simultaneous|parallel");
    private static final Pattern LIMIT = Pattern.compile("(?i)limit:?\\s*(\\d+)");
    static final long PROBE_INFERRED_MILLIS = 60_000;
    static final long PROBE_NAMED_MILLIS = 600_000;

    private final int maxInFlight;

    ConcurrencyCeiling(int maxInFlight) {
        this.maxInFlight = maxInFlight;
    }

    /** Whether a 429's message is about jobs at once (rather than the rate). */
    static boolean aboutConcurrency(String message) {
        return message != null && CONCURRENCY.matcher(message).find();
    }

    /** Jobs the provider accepts at once, as far as its answers tell; at most {@code maxInFlight}. */
    int get(ProviderAccount account, long now) {
        Integer learned = account.ceiling();
        if (learned == null || learned >= maxInFlight) {
            return maxInFlight;
        }
        return probeDue(account, now) ? learned + 1 : learned;
    }

    /** As {@link #get}, recording the probe in the account when one is due, so the quiet spell starts again. */
    int probe(ProviderAccount account, long now) {
        if (account.ceiling() != null && account.ceiling() < maxInFlight && probeDue(account, now)) {
            account.ceiling(account.ceiling() + 1, account.ceilingNamed(), now);
        }
        return get(account, now);
    }

    /**
     * The provider refused a create for too many jobs at once.
     *
     * @param inFlight counts the refused create itself (it is still SUBMITTING), asked only if the message names no limit
     */
    void lower(ProviderAccount account, String message, IntSupplier inFlight, long now) {
        Matcher m = LIMIT.matcher(message);
        boolean named = m.find();
        int limit = named ? Integer.parseInt(m.group(1)) : inFlight.getAsInt() - 1;
        limit = Math.max(1, Math.min(maxInFlight, limit));
        int ceiling = get(account, now);
        if (limit < ceiling) {
            LOG.info("The provider allows {} jobs at once; keeping to that (sora.max-in-flight is {})", limit,
                    maxInFlight);
        }
        account.ceiling(Math.min(ceiling, limit), named, now);
    }

    private static boolean probeDue(ProviderAccount account, long now) {
        return now - account.ceilingSetAt() >= (account.ceilingNamed() ? PROBE_NAMED_MILLIS : PROBE_INFERRED_MILLIS);
    }
}

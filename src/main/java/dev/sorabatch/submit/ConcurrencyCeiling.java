package dev.sorabatch.submit;

import java.time.Clock;
import java.util.function.IntSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The provider may allow fewer jobs at once than {@code maxInFlight}. When it refuses a create for that reason
 * (a 429 about concurrent jobs), the ceiling becomes the limit it names, or else the number in flight at that moment,
 * so freed slots are no longer met by bursts of creates that only earn 429s. The ceiling is probed one higher after a
 * quiet spell (a minute when it was inferred, ten when the provider named it), up to {@code maxInFlight}, in case
 * the limit was raised.
 */
final class ConcurrencyCeiling {

    private static final Logger LOG = LoggerFactory.getLogger(ConcurrencyCeiling.class);
    private static final Pattern CONCURRENCY = Pattern.compile("(?i)concurren|in[- ]flight|simultaneous|parallel");
    private static final Pattern LIMIT = Pattern.compile("(?i)limit:?\\s*(\\d+)");
    static final long PROBE_INFERRED_MILLIS = 60_000;
    static final long PROBE_NAMED_MILLIS = 600_000;

    private final Clock clock;
    private final int maxInFlight;
    private volatile int ceiling;
    private volatile long setAt;
    private volatile long probeAfterMillis = PROBE_INFERRED_MILLIS;

    ConcurrencyCeiling(Clock clock, int maxInFlight) {
        this.clock = clock;
        this.maxInFlight = maxInFlight;
        this.ceiling = maxInFlight;
    }

    /** Whether a 429's message is about jobs at once (rather than the rate). */
    static boolean aboutConcurrency(String message) {
        return message != null && CONCURRENCY.matcher(message).find();
    }

    /** Jobs the provider accepts at once, as far as its answers tell; at most {@code maxInFlight}. */
    int get() {
        int c = ceiling;
        if (c < maxInFlight && clock.millis() - setAt >= probeAfterMillis) {
            synchronized (this) {
                if (ceiling == c) {
                    ceiling = c + 1;
                    setAt = clock.millis();
                }
            }
        }
        return ceiling;
    }

    /**
     * The provider refused a create for too many jobs at once.
     *
     * @param inFlight counts the refused create itself (it is still SUBMITTING), asked only if the message names no limit
     */
    void lower(String message, IntSupplier inFlight) {
        Matcher m = LIMIT.matcher(message);
        boolean named = m.find();
        int limit = named ? Integer.parseInt(m.group(1)) : inFlight.getAsInt() - 1;
        limit = Math.max(1, Math.min(maxInFlight, limit));
        synchronized (this) {
            if (limit < ceiling) {
                LOG.info("The provider allows {} jobs at once; keeping to that (sora.max-in-flight is {})", limit,
                        maxInFlight);
            }
            ceiling = Math.min(ceiling, limit);
            setAt = clock.millis();
            probeAfterMillis = named ? PROBE_NAMED_MILLIS : PROBE_INFERRED_MILLIS;
        }
    }
}

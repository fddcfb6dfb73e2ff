package dev.sorabatch.submit;

import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sorabatch.provider.ProviderRegistry;

/**
 * One provider's share of the creates: its own rate limiter, its learned concurrency ceiling, and whether creates to
 * it stopped for the run because its account can make no more jobs. Providers of a mixed batch never pace each
 * other.
 */
final class ProviderLane {

    private static final Logger LOG = LoggerFactory.getLogger(ProviderLane.class);

    final ProviderRegistry.Entry provider;
    final CreateRateLimiter limiter;
    final ConcurrencyCeiling ceiling;
    private volatile String stopped;

    ProviderLane(ProviderRegistry.Entry provider, Clock clock, long marginMillis) {
        this.provider = provider;
        this.limiter = new CreateRateLimiter(clock, provider.limits().requestsPerMinute(), provider.limits().burst(),
                marginMillis);
        this.ceiling = new ConcurrencyCeiling(clock, provider.limits().maxInFlight());
    }

    String name() {
        return provider.name();
    }

    /** Why creates to this provider stopped for the run, or null while they go on. */
    String stopped() {
        return stopped;
    }

    /** No more creates to this provider in this run (out of credits or quota): never retried item by item. */
    void stop(String reason) {
        if (stopped == null) {
            LOG.error("{} can make no more jobs on this account ({}); no more creates go to {} in this run, its pending "
                    + "items fail with this reason", name(), reason, name());
        }
        stopped = reason;
    }
}

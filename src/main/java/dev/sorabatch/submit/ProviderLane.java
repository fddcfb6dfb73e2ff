package dev.sorabatch.submit;

import java.sql.SQLException;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sorabatch.provider.ProviderRegistry;
import dev.sorabatch.store.Item;
import dev.sorabatch.store.JobStore;
import dev.sorabatch.store.ProviderAccount;
import dev.sorabatch.store.ProviderAccounts;

/**
 * One provider's share of the creates: its rate limit and its learned concurrency ceiling, kept in the job store for
 * every instance on it ({@link ProviderAccounts}), and whether creates to it stopped for the run because its account
 * can make no more jobs. Providers of a mixed batch never pace each other.
 */
final class ProviderLane implements ProviderAccounts.Pace {

    private static final Logger LOG = LoggerFactory.getLogger(ProviderLane.class);

    final ProviderRegistry.Entry provider;
    private final JobStore store;
    private final CreateRateLimiter limiter;
    private final ConcurrencyCeiling ceiling;
    private volatile String stopped;

    ProviderLane(ProviderRegistry.Entry provider, JobStore store, long marginMillis) {
        this.provider = provider;
        this.store = store;
        this.limiter = new CreateRateLimiter(provider.limits().requestsPerMinute(), provider.limits().burst(),
                marginMillis);
        this.ceiling = new ConcurrencyCeiling(provider.limits().maxInFlight());
    }

    @Override
    public int available(ProviderAccount account, int grantedInWindow, ProviderAccounts.InFlight inFlight, long now)
            throws SQLException {
        int byRate = limiter.available(account, grantedInWindow, now);
        return byRate <= 0 ? 0 : Math.min(byRate, ceiling.probe(account, now) - inFlight.count());
    }

    @Override
    public void granted(ProviderAccount account, int creates, long now) {
        limiter.granted(account, creates, now);
    }

    String name() {
        return provider.name();
    }

    /**
     * Claims up to {@code room} pending items, as many as the account's rate, its jobs in flight and its ceiling
     * leave now across every instance; their grants are recorded with the claim.
     */
    List<Item> claim(int room, long leaseMillis, String owner) throws SQLException {
        return store.accounts().claimForCreate(name(), room, limiter.windowMillis(), this, leaseMillis, owner);
    }

    /** Claimed items whose creates will not be sent: their grants go back to the account. */
    void unsent(List<Item> items) throws SQLException {
        store.accounts().giveBack(name(), items, this);
    }

    /** The provider refused a create with 429: no create from any instance before {@code untilMillis}. */
    void rateLimited(long untilMillis, String message) throws SQLException {
        store.accounts().update(name(), account -> {
            CreateRateLimiter.pauseUntil(account, untilMillis);
            if (ConcurrencyCeiling.aboutConcurrency(message)) {
                ceiling.lower(account, message, this::inFlight, store.now());
            }
        });
    }

    /** The learned concurrency ceiling, as every instance keeps to it now. */
    int ceiling() throws SQLException {
        return ceiling.get(store.accounts().get(name()), store.now());
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

    private int inFlight() {
        try {
            return store.claims().countInFlight(name());
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}

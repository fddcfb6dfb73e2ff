package dev.sorabatch.worker;

import java.sql.SQLException;
import java.time.Clock;
import java.util.List;

import dev.sorabatch.store.Item;
import dev.sorabatch.store.ItemState;
import dev.sorabatch.store.JobStore;

/** What every worker shares: the store, its claim settings, the clock, the one failure mapping and the counters. */
public record WorkContext(JobStore store, WorkerSettings settings, Clock clock, Failures failures, Meters meters) {

    public static WorkContext of(JobStore store, WorkerSettings settings, ProviderGate gate, Clock clock, Meters meters) {
        return new WorkContext(store, settings, clock, new Failures(store.items(), gate, clock, meters), meters);
    }

    /** With counters nobody reads (a worker on its own, in a test). */
    public static WorkContext of(JobStore store, WorkerSettings settings, ProviderGate gate, Clock clock) {
        return of(store, settings, gate, clock, Meters.unexposed("test"));
    }

    /** Claims the due items in {@code state}, as many as a claim takes, leased to this instance. */
    public List<Item> claimDue(ItemState state) throws SQLException {
        return store.claims().due(state, settings.claimSize(), settings.leaseMillis(), settings.owner());
    }

    public long now() {
        return clock.millis();
    }
}

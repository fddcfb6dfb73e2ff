package dev.sorabatch.lifecycle;

import java.sql.SQLException;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sorabatch.budget.Budget;
import dev.sorabatch.store.Batch;
import dev.sorabatch.store.BatchCounts;
import dev.sorabatch.store.ItemState;
import dev.sorabatch.store.JobStore;

/**
 * One line per unfinished batch at a steady interval: done/total, failures, in flight, ETA, spend (or, while its
 * file is read, the items so far); or, in once mode on a terminal, live {@link ProgressBars} instead.
 */
public class ProgressReporter {

    private static final Logger LOG = LoggerFactory.getLogger(ProgressReporter.class);

    private final JobStore store;
    private final Budget budget;
    private final ProgressBars bars;

    /** @param bars drawn instead of the lines; null for the lines */
    public ProgressReporter(JobStore store, Budget budget, ProgressBars bars) {
        this.store = store;
        this.budget = budget;
        this.bars = bars;
    }

    /** Redraws the bars, if there are any (often: they are live). */
    public void draw() throws SQLException {
        if (bars != null) {
            bars.draw();
        }
    }

    public void report() throws SQLException {
        if (bars != null) {
            return;
        }
        long now = store.now();
        for (Batch batch : store.batches().unfinished()) {
            if (batch.ingesting()) {
                LOG.info("Reading {}: {} items so far", batch.source(), batch.totalItems());
                continue;
            }
            BatchCounts c = store.batches().counts(batch.id());
            int done = c.terminal();
            int notStored = done - c.get(ItemState.STORED) - c.get(ItemState.PLANNED);
            LOG.info("Batch {}: {}/{} done ({} not stored), {} at the provider, {} waiting, ETA {}, spend ${}{}",
                    batch.name(), done, c.total(), notStored, c.inFlight(), c.get(ItemState.PENDING), eta(batch, c, now),
                    Budget.usd(budget.spent(batch.id())), budget.settings().perBatch() == null ? ""
                            : " of $" + Budget.usd(budget.settings().perBatch()));
        }
    }

    /** Remaining items at the batch's average pace so far; unknown until something finished. */
    public static String eta(Batch batch, BatchCounts c, long now) {
        int done = c.terminal() - c.get(ItemState.REJECTED);
        int remaining = c.total() - c.terminal();
        if (remaining == 0) {
            return "now";
        }
        if (done <= 0) {
            return "unknown";
        }
        long perItem = (now - batch.createdAt()) / done;
        Duration eta = Duration.ofMillis(perItem * remaining);
        return eta.toHours() > 0 ? eta.toHours() + "h" + eta.toMinutesPart() + "m"
                : eta.toMinutes() > 0 ? eta.toMinutes() + "m" + eta.toSecondsPart() + "s" : eta.toSeconds() + "s";
    }
}

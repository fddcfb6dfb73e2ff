package dev.sorabatch.lifecycle;

import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import dev.sorabatch.budget.Budget;
import dev.sorabatch.store.Batch;
import dev.sorabatch.store.BatchCounts;
import dev.sorabatch.store.ItemState;
import dev.sorabatch.store.JobStore;

/**
 * A live progress bar per batch (done/total, ETA, not stored, at the provider, spend), drawn by the progressbar
 * library on the terminal, for once mode run by hand. A batch's bar is finished and closed once the batch is.
 */
public class ProgressBars implements AutoCloseable {

    private final JobStore store;
    private final Budget budget;
    private final Supplier<ProgressBarBuilder> builder;
    private final Map<Long, ProgressBar> bars = new HashMap<>();

    /** @param builder a bar builder with its output set (the terminal by default) */
    public ProgressBars(JobStore store, Budget budget, Supplier<ProgressBarBuilder> builder) {
        this.store = store;
        this.budget = budget;
        this.builder = builder;
    }

    /** Bars on the terminal: stderr, so that piping the log elsewhere leaves them alone. */
    public static ProgressBars onTerminal(JobStore store, Budget budget) {
        return new ProgressBars(store, budget, () -> new ProgressBarBuilder().setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(500));
    }

    /** Whether bars replace the progress lines: in once mode, when a person runs it on a terminal. */
    public static boolean wanted(boolean once, boolean enabled) {
        return once && enabled && System.console() != null;
    }

    public synchronized void draw() throws SQLException {
        Set<Long> open = new HashSet<>();
        for (Batch batch : store.batches().unfinished()) {
            if (batch.ingesting()) {
                continue;
            }
            open.add(batch.id());
            update(batch);
        }
        for (Long id : Set.copyOf(bars.keySet())) {
            if (!open.contains(id)) {
                update(store.batches().get(id));
                bars.remove(id).close();
            }
        }
    }

    private void update(Batch batch) throws SQLException {
        BatchCounts c = store.batches().counts(batch.id());
        int done = c.terminal();
        ProgressBar bar = bars.computeIfAbsent(batch.id(), id -> builder.get().setTaskName(batch.name())
                .setInitialMax(c.total()).startsFrom(done, Duration.ofMillis(Math.max(0, store.now() - batch.createdAt())))
                .build());
        bar.maxHint(c.total());
        bar.stepTo(done);
        bar.setExtraMessage(" " + (done - c.get(ItemState.STORED) - c.get(ItemState.PLANNED)) + " not stored, "
                + c.inFlight() + " at provider, $" + Budget.usd(budget.spent(batch.id())));
    }

    @Override
    public synchronized void close() {
        bars.values().forEach(ProgressBar::close);
        bars.clear();
    }
}

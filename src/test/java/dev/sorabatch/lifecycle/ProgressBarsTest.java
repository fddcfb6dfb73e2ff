package dev.sorabatch.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sorabatch.ManualClock;
import dev.sorabatch.StoreFixture;
import dev.sorabatch.budget.Budgets;
import dev.sorabatch.store.Batch;
import dev.sorabatch.store.Item;
import dev.sorabatch.store.Move;

/** The live bar of a batch: done/total, not stored, at the provider and spend, finished with the batch. */
class ProgressBarsTest {

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(1_000_000);
    private final List<String> drawn = new CopyOnWriteArrayList<>();
    private StoreFixture fixture;
    private ProgressBars bars;

    @BeforeEach
    void open() throws Exception {
        fixture = new StoreFixture(dir, clock);
        bars = new ProgressBars(fixture.store, Budgets.unlimited(fixture.store), () -> new ProgressBarBuilder()
                .setUpdateIntervalMillis(60_000).setConsumer(new DelegatingProgressBarConsumer(drawn::add, 200)));
    }

    @AfterEach
    void close() {
        bars.close();
        fixture.close();
    }

    @Test
    void aBarFollowsItsBatchAndEndsWithIt() throws Exception {
        Batch batch = fixture.batch("kites", 3);
        List<Item> claimed = Budgets.unlimited(fixture.store).admit(fixture.store.claims().forCreate(3, 30_000, "t"));
        fixture.store.items().accepted(claimed.get(0).id(), "video_1", clock.millis(), clock.millis());
        fixture.store.items().finish(claimed.get(1).id(), Move.CREATE_FAILED, "blocked", "blocked");
        bars.draw();

        fixture.store.items().finish(claimed.get(2).id(), Move.CREATE_FAILED, "blocked", "blocked");
        fixture.store.items().completed(claimed.get(0).id(), clock.millis(), null);
        fixture.store.items().stored(claimed.get(0).id(), "videos/k1.mp4", null, 10, "abc");
        fixture.store.batches().claimFinalizable(30_000);
        fixture.store.batches().finalized(batch.id());
        bars.draw(); // the batch is finished: its bar is drawn a last time and closed

        String last = drawn.get(drawn.size() - 1);
        assertThat(last).contains("kites", "3/3", "2 not stored", "0 at provider", "$0.40");
    }
}

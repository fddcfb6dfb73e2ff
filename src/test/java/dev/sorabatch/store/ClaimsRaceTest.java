package dev.sorabatch.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sorabatch.StoreFixture;

/** Two claimers (two instances on one store) racing for the same rows: each row goes to exactly one of them. */
class ClaimsRaceTest {

    @TempDir
    Path dir;

    @Test
    void twoClaimersRacingForOneRowNeverBothGetIt() throws Exception {
        try (StoreFixture fixture = new StoreFixture(dir, Clock.systemUTC())) {
            int rows = 40;
            Batch batch = fixture.batch("race", rows);
            // a second instance: its own store object (own cursor) on the same database
            JobStore other = new JobStore(fixture.dataSource, Clock.systemUTC());
            List<Long> first = new ArrayList<>();
            List<Long> second = new ArrayList<>();
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                CyclicBarrier start = new CyclicBarrier(2);
                for (int round = 0; round < rows; round++) {
                    Future<List<Item>> a = pool.submit(() -> {
                        start.await();
                        return fixture.store.claims().forCreate(1, 60_000, "a");
                    });
                    Future<List<Item>> b = pool.submit(() -> {
                        start.await();
                        return other.claims().forCreate(1, 60_000, "b");
                    });
                    a.get().forEach(item -> first.add(item.id()));
                    b.get().forEach(item -> second.add(item.id()));
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(first).doesNotContainAnyElementsOf(second).doesNotHaveDuplicates();
            assertThat(second).doesNotHaveDuplicates();
            assertThat(first.size() + second.size()).as("every row claimed once").isEqualTo(rows);
            assertThat(fixture.items(batch)).allMatch(item -> item.state() == ItemState.SUBMITTING && item.attempts() == 1);
        }
    }

    @Test
    void aDueClaimIsALeaseThatOnlyItsExpiryHandsOn() throws Exception {
        dev.sorabatch.ManualClock clock = new dev.sorabatch.ManualClock(1_000_000);
        try (StoreFixture fixture = new StoreFixture(dir, clock)) {
            fixture.batch("lease", 1);
            Item item = fixture.store.claims().forCreate(1, 30_000, "a").get(0);
            fixture.store.items().accepted(item.id(), "video_1", clock.millis(), clock.millis());
            assertThat(fixture.store.claims().due(ItemState.SUBMITTED, 10, 5_000, "a")).hasSize(1);
            assertThat(fixture.store.claims().due(ItemState.SUBMITTED, 10, 5_000, "b")).as("held by a").isEmpty();
            clock.millis.addAndGet(5_000);
            assertThat(fixture.store.claims().due(ItemState.SUBMITTED, 10, 5_000, "b")).as("a's lease ran out")
                    .extracting(Item::id).containsExactly(item.id());
        }
    }
}

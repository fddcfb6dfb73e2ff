package dev.sorabatch.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import dev.sorabatch.ManualClock;
import dev.sorabatch.StoreFixture;

/** Budgets hold across instances: reservations are made one at a time, and given back only for creates not made. */
@ParameterizedClass
@EnumSource(StoreFixture.Engine.class)
class SpendLedgerTest {

    @Parameter
    StoreFixture.Engine engine;

    private static final BigDecimal CLIP = new BigDecimal("0.40");

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(1_000_000);
    private StoreFixture fixture;

    @BeforeEach
    void open() throws Exception {
        fixture = new StoreFixture(engine, dir, clock);
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void twoInstancesRacingForTheLastDollarsNeverPassTheBudget() throws Exception {
        Batch batch = fixture.batch("race", 20);
        List<Item> items = fixture.store.claims().forCreate(20, 30_000, "test");
        // two stores on one database, as two instances are
        SpendLedger[] instances = {fixture.store.spend(), new JobStore(fixture.dataSource, clock).spend()};
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<SpendLedger.Reservation>> tries = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                Item item = items.get(i);
                SpendLedger ledger = instances[i % 2];
                tries.add(() -> ledger.reserve(item.id(), batch.id(), CLIP, new BigDecimal("2.00"), null));
            }
            int reserved = 0;
            for (Future<SpendLedger.Reservation> f : pool.invokeAll(tries)) {
                reserved += f.get() == SpendLedger.Reservation.RESERVED ? 1 : 0;
            }
            assertThat(reserved).isEqualTo(5);
            assertThat(fixture.store.spend().ofBatch(batch.id())).isEqualByComparingTo("2.00");
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void aReservationIsGivenBackOnlyWhenTheCreateCertainlyWasNotMade() throws Exception {
        Batch batch = fixture.batch("back", 4);
        List<Item> items = fixture.store.claims().forCreate(4, 30_000, "test");
        for (Item item : items) {
            fixture.store.spend().reserve(item.id(), batch.id(), CLIP, null, new BigDecimal("100"));
        }
        assertThat(fixture.store.spend().today()).isEqualByComparingTo("1.60");
        ItemTransitions moves = fixture.store.items();
        moves.backToPending(items.get(0).id(), clock.millis(), "http_429", "slow down");
        moves.finish(items.get(1).id(), Move.CREATE_FAILED, "moderation_blocked", "blocked");
        moves.finish(items.get(2).id(), Move.CREATE_UNCERTAIN, "lost", "may have been made");
        moves.accepted(items.get(3).id(), "video_4", clock.millis(), clock.millis());

        assertThat(fixture.store.spend().ofBatch(batch.id())).as("the uncertain and the accepted create stay counted")
                .isEqualByComparingTo("0.80");
        assertThat(fixture.store.spend().reserve(items.get(3).id(), batch.id(), CLIP, new BigDecimal("0.80"), null))
                .as("a reservation already held is not made twice").isEqualTo(SpendLedger.Reservation.RESERVED);
        assertThat(fixture.store.spend().ofBatch(batch.id())).isEqualByComparingTo("0.80");
    }
}

package dev.sorabatch.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import dev.sorabatch.StoreFixture;

/**
 * Two claimers (two instances on one store) racing for the same rows: each row goes to exactly one of them. An
 * instance is a {@link JobStore} on a connection pool of its own, as a second JVM would have.
 */
@ParameterizedClass
@EnumSource(StoreFixture.Engine.class)
class ClaimsRaceTest {

    @Parameter
    StoreFixture.Engine engine;

    @TempDir
    Path dir;

    @Test
    void twoClaimersRacingForOneRowNeverBothGetIt() throws Exception {
        try (StoreFixture fixture = new StoreFixture(engine, dir, Clock.systemUTC())) {
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
        try (StoreFixture fixture = new StoreFixture(engine, dir, clock)) {
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

    @Test
    void twoInstancesWorkingOneBatchClaimEveryItemExactlyOnce() throws Exception {
        try (StoreFixture fixture = new StoreFixture(engine, dir, Clock.systemUTC());
             HikariDataSource secondPool = Database.open(fixture.settings)) {
            int rows = 300;
            Batch batch = fixture.batch("shared", rows);
            JobStore[] instances = {fixture.store, new JobStore(secondPool, Clock.systemUTC())};
            Map<Long, String> claimedBy = new ConcurrentHashMap<>();
            List<String> twice = java.util.Collections.synchronizedList(new ArrayList<>());
            ExecutorService workers = Executors.newFixedThreadPool(4);
            // all four start together, so that both instances race for the batch rather than one finishing it alone
            java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(4);
            try {
                List<Future<?>> running = new ArrayList<>();
                for (int w = 0; w < 4; w++) {
                    JobStore instance = instances[w % 2];
                    String owner = "instance-" + (w % 2);
                    running.add(workers.submit(() -> {
                        start.await(30, TimeUnit.SECONDS);
                        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                        while (instance.batches().counts(batch.id()).get(ItemState.PENDING) > 0
                                && System.nanoTime() < deadline) {
                            // claims of 3: a claim takes a few milliseconds, so 300 rows are a hundred claims to share
                            for (Item item : instance.claims().forCreate(3, 60_000, owner)) {
                                if (claimedBy.putIfAbsent(item.id(), owner) != null) {
                                    twice.add(item.id() + " by " + owner + " and " + claimedBy.get(item.id()));
                                }
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : running) {
                    f.get(90, TimeUnit.SECONDS);
                }
            } finally {
                workers.shutdownNow();
            }
            assertThat(twice).as("items claimed twice").isEmpty();
            assertThat(claimedBy).as("every item claimed").hasSize(rows);
            assertThat(claimedBy.values()).as("both instances worked").contains("instance-0", "instance-1");
            assertThat(fixture.items(batch)).allMatch(item -> item.state() == ItemState.SUBMITTING && item.attempts() == 1);
        }
    }

    @Test
    void aClaimSkipsTheRowsAnotherInstanceIsClaimingInsteadOfWaitingForThem() throws Exception {
        // only PostgreSQL claims lock and skip (Claims says why not H2, whose file one process owns)
        assumeTrue(engine == StoreFixture.Engine.POSTGRES);
        try (StoreFixture fixture = new StoreFixture(engine, dir, Clock.systemUTC());
             HikariDataSource secondPool = Database.open(fixture.settings);
             Connection claiming = secondPool.getConnection()) {
            Batch batch = fixture.batch("locked", 10);
            // the other instance is in the middle of a claim: its transaction holds the first four rows
            claiming.setAutoCommit(false);
            List<Long> held = new ArrayList<>();
            try (PreparedStatement ps = claiming.prepareStatement("select id from item where batch_id = ? order by id "
                    + "fetch first 4 rows only for update")) {
                ps.setLong(1, batch.id());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        held.add(rs.getLong(1));
                    }
                }
            }
            ExecutorService worker = Executors.newSingleThreadExecutor();
            try {
                Future<List<Item>> claim = worker.submit(() -> fixture.store.claims().forCreate(10, 60_000, "a"));
                assertThat(claim.get(10, TimeUnit.SECONDS)).as("claimed without waiting for the locked rows")
                        .hasSize(6).extracting(Item::id).doesNotContainAnyElementsOf(held);
            } finally {
                claiming.rollback();
                worker.shutdownNow();
            }
            assertThat(fixture.store.claims().forCreate(10, 60_000, "a")).extracting(Item::id)
                    .containsExactlyInAnyOrderElementsOf(held);
        }
    }

    @Test
    void theCreateLeaseOfAnInstanceThatDiedRunsOutAndAnotherInstanceTakesTheItem() throws Exception {
        dev.sorabatch.ManualClock clock = new dev.sorabatch.ManualClock(1_000_000);
        try (StoreFixture fixture = new StoreFixture(engine, dir, clock)) {
            fixture.batch("orphan", 1);
            Item sending;
            try (HikariDataSource dyingPool = Database.open(fixture.settings)) {
                sending = new JobStore(dyingPool, clock).claims().forCreate(1, 30_000, "dying").get(0);
            } // the instance is gone with its create under way: nothing but the lease says so
            assertThat(fixture.store.claims().due(ItemState.SUBMITTING, 10, 30_000, "survivor")).as("lease held")
                    .isEmpty();
            clock.millis.addAndGet(30_000);
            assertThat(fixture.store.claims().due(ItemState.SUBMITTING, 10, 30_000, "survivor"))
                    .as("the lease ran out: the survivor reconciles it").extracting(Item::id).containsExactly(sending.id());
        }
    }
}

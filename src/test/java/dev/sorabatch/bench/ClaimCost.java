package dev.sorabatch.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import dev.sorabatch.budget.Budgets;
import dev.sorabatch.poll.PollPacer;
import dev.sorabatch.poll.PollSettings;
import dev.sorabatch.provider.ProviderRegistry;
import dev.sorabatch.reference.InputReferences;
import dev.sorabatch.reference.ReferencePolicy;
import dev.sorabatch.store.Item;
import dev.sorabatch.store.JobStore;
import dev.sorabatch.submit.SubmitSettings;
import dev.sorabatch.submit.SubmitWorker;
import dev.sorabatch.worker.Backoff;
import dev.sorabatch.worker.ProviderGate;
import dev.sorabatch.worker.WorkContext;
import dev.sorabatch.worker.WorkerSettings;

/**
 * The {@code claims} scenario, in this JVM: what one create claim costs with N rows waiting. A job store on an H2
 * file gets one batch of N pending items (written with plain SQL, in chunks), then a batch of 10 dropped after
 * it; the figures are the median time of a claim of 50 items and of a claim of 1, the same with only the 10-item
 * batch waiting, and how many of the first 10 one-item claims went to the small batch (round-robin: 5; oldest
 * first: 0); then, with 1,000 waiting, the submit worker's whole claim of a tick (its limits not binding). Only
 * {@link JobStore}'s and the submit worker's public API is used, so the harness measures an older build as well:
 * {@code java -cp target/test-classes:<old jar> dev.sorabatch.bench.Bench claims}.
 */
final class ClaimCost {

    private static final int SMALL = 10;
    private static final int CHUNK = 50_000;

    private ClaimCost() {
    }

    static Bench.Figures run(Path dir, int rows) throws Exception {
        Bench.deleteTree(dir);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("pending_rows", rows);
        try (HikariDataSource big = open(dir.resolve("big"))) {
            JobStore store = new JobStore(big, Clock.systemUTC());
            store.migrate();
            long t0 = System.currentTimeMillis();
            insert(big, "big", rows);
            detail.put("seed_seconds", (System.currentTimeMillis() - t0) / 1000.0);
            insert(big, "small", SMALL);
            List<Item> firstTen = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                firstTen.addAll(store.claims().forCreate("openai", 1, 600_000, "bench"));
            }
            long smallId = batchId(big, "small");
            detail.put("small_batch_items_in_first_10_claims",
                    firstTen.stream().filter(i -> i.batchId() == smallId).count());
            detail.put("claim_50_ms", medianMillis(store, 50, 15));
            detail.put("claim_1_ms", medianMillis(store, 1, 15));
        }
        try (HikariDataSource small = open(dir.resolve("small"))) {
            JobStore store = new JobStore(small, Clock.systemUTC());
            store.migrate();
            insert(small, "only", SMALL * 100);
            detail.put("claim_50_ms_with_1000_pending", medianMillis(store, 50, 15));
            detail.put("claim_1_ms_with_1000_pending", medianMillis(store, 1, 15));
        }
        try (HikariDataSource tick = open(dir.resolve("tick"))) {
            JobStore store = new JobStore(tick, Clock.systemUTC());
            store.migrate();
            insert(tick, "tick", SMALL * 100);
            detail.put("tick_claim_50_ms_with_1000_pending", tickMillis(store, 50, 15));
            detail.put("tick_claim_1_ms_with_1000_pending", tickMillis(store, 1, 15));
        }
        System.out.printf("   claim of 50: %s ms with %,d pending, %s ms with 1,000; claim of 1: %s ms / %s ms; "
                        + "small batch got %s of the first 10 claims; submit tick's claim of 50 / of 1 with 1,000: "
                        + "%s ms / %s ms%n", detail.get("claim_50_ms"), rows,
                detail.get("claim_50_ms_with_1000_pending"), detail.get("claim_1_ms"),
                detail.get("claim_1_ms_with_1000_pending"), detail.get("small_batch_items_in_first_10_claims"),
                detail.get("tick_claim_50_ms_with_1000_pending"), detail.get("tick_claim_1_ms_with_1000_pending"));
        return new Bench.Figures("claims", Runtime.getRuntime().availableProcessors(), rows,
                ((Number) detail.get("claim_50_ms")).doubleValue() / 1000.0, null, null, null, null, null, null, null,
                null, null, null, null, null, null, detail);
    }

    private static HikariDataSource open(Path dir) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:h2:file:" + dir.resolve("store").toAbsolutePath() + ";WRITE_DELAY=0");
        config.setUsername("sa");
        config.setPassword("");
        config.setMaximumPoolSize(4);
        return new HikariDataSource(config);
    }

    /** One OPEN batch of {@code rows} PENDING items, due now, in chunks of {@value #CHUNK} rows per commit. */
    private static void insert(HikariDataSource ds, String name, int rows) throws Exception {
        long now = System.currentTimeMillis();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("insert into batch (name, name_folded, source, source_sha256, provider, state, total_items, "
                    + "created_at) values ('" + name + "', '" + name + "', '" + name + ".csv', '" + name + "', 'simulator', "
                    + "'OPEN', " + rows + ", " + now + ")");
            long batchId = batchId(ds, name);
            try (PreparedStatement ps = c.prepareStatement("insert into item (batch_id, item_key, key_folded, "
                    + "request_id, row_no, take, state, prompt, model, seconds, size, metadata, next_attempt_at, created_at, "
                    + "provider) select ?, 'item-' || x, 'item-' || x, 'item-' || x, x, 1, 'PENDING', "
                    + "'A paper boat drifting down a gutter, scene ' || x, 'sora-2', 4, '720x1280', '{}', ?, ?, 'openai' "
                    + "from system_range(?, ?)")) {
                for (int from = 1; from <= rows; from += CHUNK) {
                    ps.setLong(1, batchId);
                    ps.setLong(2, now);
                    ps.setLong(3, now);
                    ps.setLong(4, from);
                    ps.setLong(5, Math.min(rows, from + CHUNK - 1));
                    ps.executeUpdate();
                }
            }
        }
    }

    private static long batchId(HikariDataSource ds, String name) throws Exception {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
             var rs = st.executeQuery("select id from batch where name = '" + name + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Median wall time of {@code times} claims of the submit worker's tick, {@code size} items each, with limits that
     * do not bind: the store claim plus the worker's pacing (rate, in flight, ceiling) and the budget's reservations.
     */
    private static double tickMillis(JobStore store, int size, int times) throws Exception {
        Clock clock = Clock.systemUTC();
        SubmitSettings settings = new SubmitSettings(10_000_000, 10_000_000, 0, 10_000_000, 600_000, 1000, 600_000, 3);
        SubmitWorker worker = new SubmitWorker(WorkContext.of(store, new WorkerSettings(size, 600_000, "bench"),
                new ProviderGate(clock), clock), ProviderRegistry.single(null, settings.limits()), settings,
                new Backoff(100, 2, 0, 1000, 60_000, 5), new PollPacer(clock, new PollSettings(100, 30_000, 10_000)),
                new InputReferences(() -> null, ReferencePolicy.DEFAULT), Budgets.unlimited(store));
        worker.claim(); // not timed: the first claim compiles its statements
        List<Long> nanos = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            long t = System.nanoTime();
            worker.claim();
            nanos.add(System.nanoTime() - t);
        }
        return Math.round(StartupBench.median(nanos) / 10_000.0) / 100.0;
    }

    /** Median wall time of {@code times} claims of {@code size} items (each claim takes new items). */
    private static double medianMillis(JobStore store, int size, int times) throws Exception {
        store.claims().forCreate("openai", size, 600_000, "bench"); // not timed: the first claim compiles its statements
        List<Long> nanos = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            long t = System.nanoTime();
            store.claims().forCreate("openai", size, 600_000, "bench");
            nanos.add(System.nanoTime() - t);
        }
        return Math.round(StartupBench.median(nanos) / 10_000.0) / 100.0;
    }
}

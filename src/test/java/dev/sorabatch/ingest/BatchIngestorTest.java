package dev.sorabatch.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sorabatch.ManualClock;
import dev.sorabatch.store.Batch;
import dev.sorabatch.store.BatchState;
import dev.sorabatch.store.ColumnSizes;
import dev.sorabatch.store.IngestTransaction;
import dev.sorabatch.store.JobStore;
import dev.sorabatch.reference.ReferenceResolver;
import dev.sorabatch.store.NewItem;

/** Files written into the real H2 store: in committed chunks, invisible to workers until whole, never half kept. */
class BatchIngestorTest {

    private static final long LEASE = 30_000;

    @TempDir
    java.nio.file.Path dir;

    private final ManualClock clock = new ManualClock(1_800_000_000_000L);
    private JdbcDataSource dataSource;
    private JobStore store;

    @BeforeEach
    void openStore() {
        dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:file:" + dir.resolve("store") + ";WRITE_DELAY=0");
        dataSource.setUser("sa");
        store = new JobStore(dataSource, clock);
        store.migrate();
    }

    private BatchIngestor ingestor(ColumnSizes columns) {
        return new BatchIngestor(store, ValidationRules.defaults(), columns, Batches.LIMITS, "test", true, LEASE);
    }

    private BatchIngestor ingestor() throws SQLException {
        return ingestor(store.itemColumns());
    }

    @Test
    void columnLimitsAreReadFromTheSchema() throws SQLException {
        ColumnSizes columns = store.itemColumns();

        assertThat(columns.of("request_id")).isEqualTo(1000);
        assertThat(columns.of("model")).isEqualTo(200);
        assertThat(columns.of("size")).isEqualTo(20);
        assertThat(columns.of("remix_of")).isEqualTo(1000);
        assertThat(columns.of("prompt")).isEqualTo(20_000);
        assertThat(columns.of("metadata")).isEqualTo(20_000);
        assertThat(columns.of("input_reference")).as("a large text type").isGreaterThan(100_000_000);
        assertThat(columns.capped("input_reference", 2_000_000).of("input_reference")).isEqualTo(2_000_000);
    }

    @Test
    void rowsAreCommittedInChunksThatNoWorkerTakesBeforeTheWholeFileIsIn() throws Exception {
        List<Batch> seenBeforeOpen = new ArrayList<>();
        int[] claimableBeforeOpen = {-1};

        Optional<Batch> batch = ingestor().ingest("big.csv", "big.csv", null, ReferenceResolver.NONE,
                csv(25_000, i -> "clip-" + i), () -> {
                    try {
                        seenBeforeOpen.addAll(store.batches().unfinished());
                        claimableBeforeOpen[0] = store.claims().forCreate(100, 1000, "test").size();
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                    return true;
                });

        assertThat(seenBeforeOpen).singleElement().satisfies(b -> {
            assertThat(b.state()).isEqualTo(BatchState.INGESTING);
            assertThat(b.totalItems()).as("committed while the file was read").isGreaterThanOrEqualTo(20_000);
        });
        assertThat(claimableBeforeOpen[0]).isZero();
        assertThat(batch.orElseThrow().state()).isEqualTo(BatchState.OPEN);
        assertThat(batch.get().totalItems()).isEqualTo(25_000);
        assertThat(store.claims().forCreate(100, 1000, "test")).hasSize(100);
    }

    @Test
    void aReadCutShortByADeadProcessIsDiscardedAndTheFileIsReadAgainWhole() throws Exception {
        IngestTransaction dead = store.batches().beginIngest("crash.csv", "test", "openai", LEASE);
        RequestValidator validator = new RequestValidator(ValidationRules.defaults());
        for (int row = 1; row <= 12_000; row++) {
            for (NewItem draft : validator.validate(new RawRow(row, Map.of("id", "c" + row, "prompt", "p"), null))) {
                dead.add(draft);
            }
            if (dead.full()) {
                dead.flush();
            }
        }
        // the process dies here: a chunk is committed, the batch is never opened or discarded
        assertThat(count("select count(*) from item")).isGreaterThanOrEqualTo(10_000);
        assertThat(store.claims().forCreate(100, 1000, "test")).isEmpty();

        clock.millis.addAndGet(LEASE + 1);
        Optional<Batch> again = ingestor().ingest("crash.csv", "crash.csv", null, ReferenceResolver.NONE,
                csv(12_000, i -> "c" + i));

        assertThat(again.orElseThrow().name()).isEqualTo("crash");
        assertThat(count("select count(*) from batch")).isEqualTo(1);
        assertThat(count("select count(*) from item")).isEqualTo(12_000);
        dead.close();
    }

    @Test
    void duplicateIdsAcrossChunksAreFoundByTheStoreAsIfTheWholeBatchWereInMemory() throws Exception {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 1; i <= 1_300; i++) {
            rows.add(new LinkedHashMap<>(Map.of("id", "clip-" + i, "prompt", "Shot " + i)));
        }
        rows.get(6).putAll(Map.of("id", "multi", "takes", "2"));
        rows.get(1_099).put("id", "CLIP-3");        // clashes ignoring case with row 3, three chunks earlier
        rows.get(1_199).put("id", "clip-5");        // a plain duplicate
        rows.get(1_249).put("id", "multi");         // the id of a multi-take row
        rows.get(1_259).put("id", "multi-take2");   // the file name of one of its takes
        rows.get(1_269).putAll(Map.of("id", "clip-9", "seconds", "5")); // rejected twice over: keeps no key of its own
        rows.get(1_270).put("id", "row-1270");      // the fallback key the row before it took

        Batch batch = ingestor().ingest("dups.csv", "dups.csv", null, ReferenceResolver.NONE, csv(rows)).orElseThrow();

        RequestValidator whole = new RequestValidator(ValidationRules.defaults());
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            for (NewItem d : whole.validate(new RawRow(i + 1, stringValues(rows.get(i)), null))) {
                expected.add(d.row() + " " + d.take() + " " + d.itemKey() + " " + d.rejection());
            }
        }
        List<String> stored = new ArrayList<>();
        store.batches().forEachItem(batch.id(), item -> stored.add(item.row() + " " + item.take() + " " + item.itemKey() + " "
                + item.errorMessage()));
        assertThat(stored).isEqualTo(expected);
        assertThat(stored).contains("1100 1 row-1100 id \"CLIP-3\" clashes with file name \"clip-3\" already used by row 3",
                "1200 1 row-1200 duplicate id \"clip-5\" (first used on row 5)",
                "1250 1 row-1250 duplicate id \"multi\" (first used on row 7)",
                "1260 1 row-1260 id \"multi-take2\" clashes with file name \"multi-take2\" already used by row 7");
    }

    @Test
    void aValueTheStoreRefusesSetsTheFileAsideWithNothingKept() throws Exception {
        BatchIngestor unchecked = ingestor(ColumnSizes.UNBOUNDED);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 1; i <= 12_000; i++) {
            rows.add(Map.of("id", i == 11_000 ? "x".repeat(1001) : "c" + i, "prompt", "p"));
        }

        BadFileException e = assertThrows(BadFileException.class,
                () -> unchecked.ingest("long.csv", "long.csv", null, ReferenceResolver.NONE, csv(rows)));

        assertThat(e.getMessage()).startsWith("the job store refused a row of this file");
        assertThat(count("select count(*) from batch")).isZero();
        assertThat(count("select count(*) from item")).isZero();
    }

    @Test
    void anythingThatBreaksTheReaderSetsTheFileAsideWithNothingKept() throws Exception {
        for (Throwable failure : List.of(new IllegalStateException("reader bug"), new StackOverflowError())) {
            InputStream breaking = onceRead(csv(20_000, i -> "c" + i), 300_000, () -> sneakyThrow(failure));

            BadFileException e = assertThrows(BadFileException.class,
                    () -> ingestor().ingest("bad.csv", "bad.csv", null, ReferenceResolver.NONE, breaking));

            assertThat(e.getMessage()).startsWith("the file could not be read").contains(failure.getClass().getName());
            assertThat(count("select count(*) from batch")).isZero();
            assertThat(count("select count(*) from item")).isZero();
        }
    }

    @Test
    void aStoreThatGoesAwayIsAFailureToRetryNotABadFile() throws Exception {
        InputStream shuttingDown = onceRead(csv(20_000, i -> "c" + i), 300_000, () -> {
            try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
                st.execute("shutdown");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });

        assertThrows(SQLException.class,
                () -> ingestor().ingest("ok.csv", "ok.csv", null, ReferenceResolver.NONE, shuttingDown));
    }

    @Test
    void theSameInputCommittedByAnotherInstanceFirstIsNotABatchTwice() throws Exception {
        String ref = "s3://in/a.csv#etag1";
        ingestor().ingest("a.csv", "s3://in/a.csv", ref, ReferenceResolver.NONE, csv(10, i -> "c" + i));

        Optional<Batch> second = new BatchIngestor(store, ValidationRules.defaults(), store.itemColumns(), Batches.LIMITS,
                "test", false, LEASE).ingest("a.csv", "s3://in/a.csv", ref, ReferenceResolver.NONE, csv(10, i -> "c" + i));

        assertThat(second).isEmpty();
        assertThat(count("select count(*) from batch")).isEqualTo(1);
        assertThat(count("select count(*) from item")).isEqualTo(10);
    }

    @Test
    void batchNamesAreUniqueIgnoringCase() throws Exception {
        Batch first = ingestor().ingest("Batch.csv", "Batch.csv", null, ReferenceResolver.NONE, csv(1, i -> "a")).orElseThrow();
        Batch second = ingestor().ingest("batch.csv", "batch.csv", null, ReferenceResolver.NONE, csv(1, i -> "b")).orElseThrow();
        Batch third = ingestor().ingest("BATCH.csv", "BATCH.csv", null, ReferenceResolver.NONE, csv(1, i -> "c")).orElseThrow();

        assertThat(List.of(first.name(), second.name(), third.name())).containsExactly("Batch", "batch-2", "BATCH-3");
    }

    private long count(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static InputStream csv(int rows, IntFunction<String> id) {
        StringBuilder sb = new StringBuilder("id,prompt\n");
        for (int i = 1; i <= rows; i++) {
            sb.append(id.apply(i)).append(",A paper boat number ").append(i).append('\n');
        }
        return new ByteArrayInputStream(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static InputStream csv(List<Map<String, Object>> rows) {
        List<String> columns = List.of("id", "prompt", "takes", "seconds");
        StringBuilder sb = new StringBuilder(String.join(",", columns)).append('\n');
        for (Map<String, Object> row : rows) {
            sb.append(String.join(",", columns.stream().map(c -> String.valueOf(row.getOrDefault(c, ""))).toList()))
                    .append('\n');
        }
        return new ByteArrayInputStream(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The row as the CSV reader hands it over: non-blank cells as strings. */
    private static Map<String, Object> stringValues(Map<String, Object> row) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (String c : List.of("id", "prompt", "takes", "seconds")) {
            if (row.containsKey(c)) {
                fields.put(c, String.valueOf(row.get(c)));
            }
        }
        return fields;
    }

    /** The stream, doing {@code action} once more than {@code bytes} of it have been read: an event mid-file. */
    private static InputStream onceRead(InputStream in, long bytes, Runnable action) {
        return new FilterInputStream(in) {
            private long read;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                boolean crossing = read <= bytes && read + Math.max(n, 0) > bytes;
                read += Math.max(n, 0);
                if (crossing) {
                    action.run();
                }
                return n;
            }
        };
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> void sneakyThrow(Throwable t) throws T {
        throw (T) t;
    }
}

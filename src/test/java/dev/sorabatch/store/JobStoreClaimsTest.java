package dev.sorabatch.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import dev.sorabatch.ManualClock;
import dev.sorabatch.StoreFixture;

/** Claims on the real store (H2 file and PostgreSQL): fair between batches, read only what they take, content nearest expiry first. */
@ParameterizedClass
@EnumSource(StoreFixture.Engine.class)
class JobStoreClaimsTest {

    @Parameter
    StoreFixture.Engine engine;

    private static final Pattern SCAN_COUNT = Pattern.compile("scanCount: (\\d+)");

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(1_000_000);
    private StoreFixture fixture;
    private HikariDataSource dataSource;
    private JobStore store;

    @BeforeEach
    void open() throws Exception {
        fixture = new StoreFixture(engine, dir, clock);
        dataSource = fixture.dataSource;
        store = fixture.store;
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void aSmallBatchDroppedLaterGetsCreatesBeforeTheBigOneIsDone() throws Exception {
        Batch big = fixture.batch("big", 200);
        clock.millis.addAndGet(1000);
        Batch small = fixture.batch("small", 3);

        // a claim is split between the batches that have work ...
        List<Item> claimed = new ArrayList<>(store.claims().forCreate(4, 30_000, "test"));
        assertThat(claimed).extracting(Item::batchId).containsExactlyInAnyOrder(big.id(), big.id(), small.id(), small.id());
        // ... and one-item claims take turns
        claimed.addAll(store.claims().forCreate(1, 30_000, "test"));
        claimed.addAll(store.claims().forCreate(1, 30_000, "test"));

        assertThat(claimed).filteredOn(item -> item.batchId() == small.id()).as("creates for the later small batch")
                .hasSize(3);
        assertThat(claimed).filteredOn(item -> item.batchId() == big.id()).hasSize(3);
    }

    @Test
    void whatASmallBatchCannotUseGoesToTheBigOneEachRowOnce() throws Exception {
        Batch big = fixture.batch("big", 20);
        Batch small = fixture.batch("small", 1);

        List<Item> claimed = store.claims().forCreate(10, 30_000, "test");

        assertThat(claimed).as("the claim is filled in a second round").hasSize(10).doesNotHaveDuplicates();
        assertThat(claimed).filteredOn(item -> item.batchId() == small.id()).hasSize(1);
        assertThat(claimed).filteredOn(item -> item.batchId() == big.id()).hasSize(9);
    }

    @Test
    void onlyOpenBatchesAreClaimed() throws Exception {
        Batch writing = fixture.batch("writing", 5);
        store.update("update batch set state = 'INGESTING' where id = ?", writing.id());
        Batch open = fixture.batch("open", 2);

        List<Item> claimed = store.claims().forCreate(10, 30_000, "test");

        assertThat(claimed).hasSize(2).allMatch(item -> item.batchId() == open.id());
    }

    @Test
    void aClaimReadsOnlyTheRowsItTakesHoweverManyAreWaiting() throws Exception {
        Batch big = fixture.batch("big", 5000);
        assertThat(rowsRead(Claims.DUE_PENDING_OF_BATCH, big.id(), clock.millis(), 50)).isLessThanOrEqualTo(51);
        assertThat(rowsRead(Claims.DUE_IN_STATE, "PENDING", clock.millis(), 50)).isLessThanOrEqualTo(51);
    }

    @Test
    void contentNearestItsExpiryIsFetchedFirst() throws Exception {
        fixture.batch("fetch", 2);
        List<Item> items = store.claims().forCreate(2, 30_000, "test");
        Item later = items.get(0);
        Item sooner = items.get(1);
        for (Item item : items) {
            assertThat(store.items().accepted(item.id(), "video_" + item.id(), clock.millis(), clock.millis())).isTrue();
        }
        // the first completes first (so it is due first), but its content expires later
        assertThat(store.items().completed(later.id(), clock.millis(), clock.millis() + 3_600_000)).isTrue();
        clock.millis.addAndGet(10);
        assertThat(store.items().completed(sooner.id(), clock.millis(), clock.millis() + 60_000)).isTrue();

        assertThat(store.claims().due(ItemState.COMPLETED, 1, 30_000, "test")).extracting(Item::id)
                .containsExactly(sooner.id());
    }

    /** The rows the query's scans read, as the database's own plan of the executed query counts them. */
    private int rowsRead(String sql, Object... args) throws Exception {
        boolean h2 = engine == StoreFixture.Engine.H2;
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(h2 ? "explain analyze " + sql
                     : "explain (analyze, format json) " + sql + Claims.SKIP_LOCKED)) {
            Jdbc.bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                String plan = rs.getString(1);
                if (!h2) {
                    return scanned(new ObjectMapper().readTree(plan).get(0).get("Plan"));
                }
                Matcher m = SCAN_COUNT.matcher(plan);
                assertThat(m.find()).as("plan: %s", plan).isTrue();
                return Integer.parseInt(m.group(1));
            }
        }
    }

    /** PostgreSQL: the rows each scan node returned or filtered out, over the whole plan tree. */
    private static int scanned(JsonNode node) {
        int rows = 0;
        if (node.get("Node Type").asText().endsWith("Scan")) {
            rows += (node.path("Actual Rows").asInt() + node.path("Rows Removed by Filter").asInt())
                    * node.path("Actual Loops").asInt(1);
        }
        for (JsonNode child : node.path("Plans")) {
            rows += scanned(child);
        }
        return rows;
    }
}

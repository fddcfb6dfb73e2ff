package dev.sorabatch.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;

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

/**
 * An input becomes one batch however many instances see it: the batch being written holds the input's identity
 * from the start. Names taken meanwhile are retried with a suffix, the rows written so far kept.
 */
@ParameterizedClass
@EnumSource(StoreFixture.Engine.class)
class IngestClaimsTest {

    private static final long LEASE = 30_000;

    @Parameter
    StoreFixture.Engine engine;

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(1_000_000);
    private StoreFixture fixture;
    private HikariDataSource secondPool;
    /** A second instance on the same database. */
    private JobStore other;

    @BeforeEach
    void open() throws Exception {
        fixture = new StoreFixture(engine, dir, clock);
        secondPool = Database.open(fixture.settings);
        other = new JobStore(secondPool, clock);
    }

    @AfterEach
    void close() {
        secondPool.close();
        fixture.close();
    }

    @Test
    void twoBatchesOfOneNameGetTheirOwnNames() throws Exception {
        assertThat(fixture.batch("same", 1).name()).isEqualTo("same");
        assertThat(fixture.batch("Same", 2).name()).isEqualTo("Same-2");
        assertThat(fixture.batch("SAME", 1).name()).isEqualTo("SAME-3");
        assertThat(fixture.store.batches().all()).extracting(Batch::totalItems).containsExactly(1, 2, 1);
    }

    @Test
    void aNameTakenByAnotherInstanceWhileTheFileWasReadKeepsEveryRowWritten() throws Exception {
        try (IngestTransaction tx = fixture.store.batches().beginIngest("same.csv", "simulator", "openai", LEASE)) {
            for (int i = 1; i <= 3; i++) {
                tx.add(new NewItem(i, "s-" + i, "s-" + i, "s-" + i, 1, "A scene " + i, "sora-2", 4, "720x1280", null,
                        null, "{}", null));
            }
            tx.flush(); // written in this transaction, not committed
            try (IngestTransaction meanwhile = other.batches().beginIngest("x.csv", "simulator", "openai", LEASE)) {
                meanwhile.open("same", "sha-x");
            }
            Batch opened = tx.open("same", "sha-same");
            assertThat(opened.name()).isEqualTo("same-2");
            assertThat(fixture.items(opened)).hasSize(3).allMatch(item -> item.state() == ItemState.PENDING);
        }
    }

    @Test
    void anInputBeingReadByOneInstanceIsNotReadByAnother() throws Exception {
        String ref = "file:/in/a.csv#10-1000";
        Optional<IngestTransaction> first = fixture.store.batches().beginIngest("a.csv", ref, "simulator", "openai", LEASE);
        assertThat(first).isPresent();
        try (IngestTransaction reading = first.get()) {
            assertThat(other.batches().beginIngest("a.csv", ref, "simulator", "openai", LEASE)).as("while it is read")
                    .isEmpty();
            reading.open("a", "sha-a");
        }
        assertThat(other.batches().beginIngest("a.csv", ref, "simulator", "openai", LEASE)).as("once committed")
                .isEmpty();
        assertThat(fixture.store.batches().all()).singleElement().extracting(Batch::state).isEqualTo(BatchState.OPEN);
    }

    @Test
    void anInputWhoseReaderDiedIsReadByAnotherOnceTheLeaseRunsOut() throws Exception {
        String ref = "s3://in/b.csv#etag";
        IngestTransaction dead = fixture.store.batches().beginIngest("b.csv", ref, "simulator", "openai", LEASE)
                .orElseThrow();
        try {
            clock.millis.addAndGet(LEASE + 1);
            assertThat(other.batches().discardAbandonedIngests()).isEqualTo(1);
            try (IngestTransaction again = other.batches().beginIngest("b.csv", ref, "simulator", "openai", LEASE)
                    .orElseThrow()) {
                assertThat(again.open("b", "sha-b").state()).isEqualTo(BatchState.OPEN);
            }
        } finally {
            dead.close();
        }
        assertThat(fixture.store.batches().bySourceRef(ref)).get().extracting(Batch::name).isEqualTo("b");
    }
}

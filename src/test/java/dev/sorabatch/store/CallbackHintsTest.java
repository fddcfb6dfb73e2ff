package dev.sorabatch.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

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

/** What a verified callback does to the store: a status check due now, once per delivery, on every instance. */
@ParameterizedClass
@EnumSource(StoreFixture.Engine.class)
class CallbackHintsTest {

    @Parameter
    StoreFixture.Engine engine;

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(1_000_000);
    private StoreFixture fixture;
    private Item item;

    @BeforeEach
    void submitted() throws Exception {
        fixture = new StoreFixture(engine, dir, clock);
        fixture.batch("hints", 1);
        item = fixture.store.claims().forCreate(1, 30_000, "test").get(0);
        fixture.store.items().accepted(item.id(), "job-1", clock.millis(), clock.millis() + 600_000);
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void aCallbackMakesTheChecksDueNowAndChangesNothingElse() throws Exception {
        clock.millis.addAndGet(5_000);
        assertThat(fixture.store.callbacks().take("openai", "msg_1", clock.millis() + 300_000, "job-1"))
                .isEqualTo(CallbackHints.Result.DUE_NOW);
        Item after = reread();
        assertThat(after.state()).isEqualTo(ItemState.SUBMITTED);
        assertThat(after.nextAttemptAt()).isEqualTo(clock.millis());
        assertThat(after.statusChecks()).isEqualTo(0);
        assertThat(fixture.store.claims().due(ItemState.SUBMITTED, 10, 30_000, "poller")).extracting(Item::id)
                .containsExactly(item.id());
    }

    @Test
    void aReplayedDeliveryIsRefusedOnAnotherInstanceUntilItWouldBeStaleAnyway() throws Exception {
        HikariDataSource pool = Database.open(fixture.settings); // a second instance on the same store
        JobStore other = new JobStore(pool, clock);
        assertThat(fixture.store.callbacks().take("openai", "msg_1", clock.millis() + 300_000, "job-1"))
                .isEqualTo(CallbackHints.Result.DUE_NOW);
        fixture.store.items().recordProgress(item.id(), 50, clock.millis() + 600_000);
        long due = reread().nextAttemptAt();
        assertThat(other.callbacks().take("openai", "msg_1", clock.millis() + 300_000, "job-1"))
                .isEqualTo(CallbackHints.Result.REPLAYED);
        assertThat(reread().nextAttemptAt()).as("a replay changes nothing").isEqualTo(due);
        assertThat(other.callbacks().take("replicate", "msg_1", clock.millis() + 300_000, "job-1"))
                .as("another provider's delivery ids are its own; this job is not replicate's")
                .isEqualTo(CallbackHints.Result.UNKNOWN_JOB);

        clock.millis.addAndGet(300_001); // the first delivery is past its window: pruned when the next arrives
        assertThat(other.callbacks().take("openai", "msg_2", clock.millis() + 300_000, "job-1"))
                .isEqualTo(CallbackHints.Result.DUE_NOW);
        assertThat(fixture.store.callbacks().take("openai", "msg_1", clock.millis() + 300_000, "job-1"))
                .isEqualTo(CallbackHints.Result.DUE_NOW);
        pool.close();
    }

    @Test
    void anUnknownJobIsNotRememberedAndAFinishedOneIsLeftAlone() throws Exception {
        assertThat(fixture.store.callbacks().take("openai", "msg_1", clock.millis() + 300_000, "job-9"))
                .isEqualTo(CallbackHints.Result.UNKNOWN_JOB);
        fixture.store.items().completed(item.id(), clock.millis(), null);
        Item completed = reread();
        assertThat(fixture.store.callbacks().take("openai", "msg_1", clock.millis() + 300_000, "job-1"))
                .as("the unknown job's delivery id was not kept").isEqualTo(CallbackHints.Result.SETTLED);
        assertThat(reread()).isEqualTo(completed);
    }

    private Item reread() throws Exception {
        return fixture.items(fixture.store.batches().find("hints").orElseThrow()).get(0);
    }
}

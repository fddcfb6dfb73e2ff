package dev.sorabatch.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import dev.sorabatch.ManualClock;
import dev.sorabatch.StoreFixture;

/** Cancel and retry on the real store (H2 file and PostgreSQL), against the claims the workers make meanwhile. */
@ParameterizedClass
@EnumSource(StoreFixture.Engine.class)
class BatchActionsTest {

    @Parameter
    StoreFixture.Engine engine;

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(1_000_000);
    private StoreFixture fixture;
    private JobStore store;

    @BeforeEach
    void open() throws Exception {
        fixture = new StoreFixture(engine, dir, clock);
        store = fixture.store;
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void anItemWhoseCreateWasUnderWayAtTheCancelIsNeverSentAfterwards() throws Exception {
        Batch batch = fixture.batch("late", 3);
        Item sending = store.claims().forCreate(1, 30_000, "test").get(0);

        assertThat(store.actions().cancel(batch.id()).items()).isEqualTo(2);
        // the create did not happen (a 503, say): the item is back in PENDING, in a batch that was cancelled
        assertThat(store.items().backToPending(sending.id(), clock.millis(), "server_error", "try later")).isTrue();

        assertThat(store.claims().forCreate(10, 30_000, "test")).isEmpty();
        assertThat(fixture.items(batch)).extracting(Item::state).containsOnly(ItemState.CANCELLED);
        assertThat(store.batches().claimFinalizable(30_000)).extracting(Batch::id).containsExactly(batch.id());
    }

    @Test
    void retryReopensAFinalizedBatchWithTheNextRevisionAndFreshAttempts() throws Exception {
        Batch batch = fixture.batch("again", 2);
        List<Item> claimed = store.claims().forCreate(2, 30_000, "test");
        store.items().finish(claimed.get(0).id(), Move.CREATE_FAILED, "server_error", "gave up");
        store.items().finish(claimed.get(1).id(), Move.CREATE_UNCERTAIN, "create_uncertain", "no job matched");
        assertThat(store.batches().claimFinalizable(30_000)).hasSize(1);
        // the manifest is being written: a retry now is refused, nothing changes
        BatchActions.Outcome refused = store.actions().retry(batch.id(), EnumSet.of(ItemState.FAILED));
        assertThat(refused.refused()).isTrue();
        assertThat(refused.refusal()).contains("manifest is being written");
        assertThat(store.batches().finalized(batch.id())).isTrue();

        BatchActions.Outcome retried = store.actions().retry(batch.id(), EnumSet.of(ItemState.UNCERTAIN));
        assertThat(retried.items()).isEqualTo(1);
        assertThat(retried.revision()).isEqualTo(2);
        assertThat(store.batches().get(batch.id()).state()).isEqualTo(BatchState.OPEN);
        Item again = fixture.item(batch, claimed.get(1).row());
        assertThat(again.state()).isEqualTo(ItemState.PENDING);
        assertThat(again.attempt()).isEqualTo(2);
        assertThat(again.attempts()).isZero();
        assertThat(again.errorCode()).isNull();
        assertThat(fixture.item(batch, claimed.get(0).row()).state()).isEqualTo(ItemState.FAILED);
        assertThat(store.batches().claimFinalizable(30_000)).isEmpty();
        assertThat(store.claims().forCreate(10, 30_000, "test")).extracting(Item::id).containsExactly(again.id());
    }
}

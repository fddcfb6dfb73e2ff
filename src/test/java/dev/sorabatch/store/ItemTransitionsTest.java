package dev.sorabatch.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import dev.sorabatch.ManualClock;
import dev.sorabatch.StoreFixture;

/** The state machine as a table, and every item transition on the real store checked against it. */
@ParameterizedClass
@EnumSource(StoreFixture.Engine.class)
class ItemTransitionsTest {

    @Parameter
    StoreFixture.Engine engine;

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(1_000_000);
    private StoreFixture fixture;
    private ItemTransitions items;

    @BeforeEach
    void open() throws Exception {
        fixture = new StoreFixture(engine, dir, clock);
        items = fixture.store.items();
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void everyMoveTheWorkersMakeIsInTheTable() {
        // the workers move items only through Move constants (ItemTransitions takes nothing else)
        for (Move move : Move.values()) {
            assertThat(ItemState.NEXT.get(move.from())).as("%s", move).contains(move.to());
        }
        // and every move the table allows is one a worker makes (no dead rows in the table), but for the design's
        // COMPLETED -> FAILED, which no worker makes yet: a download that cannot ever succeed is retried until expiry
        for (ItemState from : ItemState.values()) {
            for (ItemState to : ItemState.NEXT.get(from)) {
                if (from == ItemState.COMPLETED && to == ItemState.FAILED) {
                    continue;
                }
                assertThat(EnumSet.allOf(Move.class)).as("%s -> %s", from, to)
                        .anyMatch(m -> m.from() == from && m.to() == to);
            }
        }
    }

    @Test
    void theTableIsTheDesignsStateMachine() {
        assertThat(ItemState.NEXT.get(ItemState.PENDING)).containsExactlyInAnyOrder(ItemState.SUBMITTING,
                ItemState.CANCELLED, ItemState.PLANNED);
        assertThat(ItemState.NEXT.get(ItemState.SUBMITTING)).containsExactlyInAnyOrder(ItemState.SUBMITTED,
                ItemState.PENDING, ItemState.FAILED, ItemState.UNCERTAIN, ItemState.SKIPPED_BUDGET);
        assertThat(ItemState.NEXT.get(ItemState.SUBMITTED)).containsExactlyInAnyOrder(ItemState.COMPLETED,
                ItemState.FAILED);
        assertThat(ItemState.NEXT.get(ItemState.COMPLETED)).containsExactlyInAnyOrder(ItemState.STORED,
                ItemState.EXPIRED, ItemState.FAILED);
        assertThat(ItemState.TERMINAL).containsExactlyInAnyOrder(ItemState.REJECTED, ItemState.STORED,
                ItemState.FAILED, ItemState.EXPIRED, ItemState.UNCERTAIN, ItemState.CANCELLED,
                ItemState.PLANNED, ItemState.SKIPPED_BUDGET);
        // an operator's moves (cancel, retry), which no worker makes, leave the ended states ended
        assertThat(ItemState.BY_OPERATOR).containsOnlyKeys(ItemState.PENDING, ItemState.FAILED, ItemState.EXPIRED,
                ItemState.UNCERTAIN);
        assertThat(ItemState.RETRYABLE).containsExactlyInAnyOrder(ItemState.FAILED, ItemState.EXPIRED,
                ItemState.UNCERTAIN);
        assertThat(ItemState.sqlList(EnumSet.of(ItemState.PENDING, ItemState.SUBMITTING)))
                .isEqualTo("('PENDING','SUBMITTING')");
    }

    @Test
    void aForbiddenMoveFailsLoudly() throws Exception {
        assertThatThrownBy(() -> ItemState.check(ItemState.STORED, ItemState.PENDING))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("STORED -> PENDING");
        assertThatThrownBy(() -> ItemState.check(ItemState.PENDING, ItemState.STORED))
                .isInstanceOf(IllegalStateException.class);
        Item item = fixture.item(fixture.batch("b", 1), 1);
        assertThatThrownBy(() -> items.reschedule(item.id(), ItemState.STORED, clock.millis(), "x", "y"))
                .as("an ended item is never rescheduled").isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> items.finish(item.id(), Move.ACCEPTED, "x", "y"))
                .as("finish takes only moves that end the item").isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anItemGoesThroughItsLifeAndEachStepIsACompareAndSet() throws Exception {
        Batch batch = fixture.batch("life", 2);
        List<Item> claimed = fixture.store.claims().forCreate(1, 30_000, "test");
        Item item = claimed.get(0);
        assertThat(item.state()).isEqualTo(ItemState.SUBMITTING);
        assertThat(item.attempts()).as("the claim counts the attempt").isEqualTo(1);
        assertThat(item.submittingAt()).isEqualTo(clock.millis());

        assertThat(items.accepted(item.id(), "video_1", clock.millis(), clock.millis() + 100)).isTrue();
        assertThat(items.accepted(item.id(), "video_1", clock.millis(), clock.millis())).as("no longer SUBMITTING")
                .isFalse();
        assertThat(items.recordProgress(item.id(), 40, clock.millis() + 200)).isTrue();
        assertThat(fixture.item(batch, 1)).extracting(Item::progress, Item::statusChecks).containsExactly(40, 1);
        assertThat(items.completed(item.id(), clock.millis(), clock.millis() + 3_600_000)).isTrue();
        assertThat(items.stored(item.id(), "videos/life-1.mp4", null, 10, "abc")).isTrue();
        assertThat(items.finish(item.id(), Move.CONTENT_EXPIRED, "late", "too late")).as("already STORED").isFalse();

        Item stored = fixture.item(batch, 1);
        assertThat(stored.state()).isEqualTo(ItemState.STORED);
        assertThat(stored).extracting(Item::providerJobId, Item::videoPath, Item::bytes, Item::progress)
                .containsExactly("video_1", "videos/life-1.mp4", 10L, 100);
        assertThat(fixture.store.batches().counts(batch.id()).get(ItemState.PENDING)).isEqualTo(1);
    }

    @Test
    void aJobIdHeldByAnotherItemIsNotTakenTwice() throws Exception {
        fixture.batch("twice", 2);
        List<Item> claimed = fixture.store.claims().forCreate(2, 30_000, "test");
        assertThat(items.accepted(claimed.get(0).id(), "video_same", clock.millis(), clock.millis())).isTrue();
        assertThat(items.accepted(claimed.get(1).id(), "video_same", clock.millis(), clock.millis())).isFalse();
        assertThat(items.heldJobIds(Set.of("video_same", "video_other"))).containsExactly("video_same");
    }

    @Test
    void anUnsentCreateGivesItsAttemptBackAndAFailedOneKeepsIt() throws Exception {
        Batch batch = fixture.batch("back", 2);
        List<Item> claimed = fixture.store.claims().forCreate(2, 30_000, "test");
        assertThat(items.releaseUnsent(claimed.get(0).id(), clock.millis(), null, null)).isTrue();
        assertThat(items.backToPending(claimed.get(1).id(), clock.millis() + 500, "http_429", "slow down")).isTrue();
        assertThat(fixture.items(batch)).extracting(Item::state, Item::attempts, Item::failures, Item::errorCode)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(ItemState.PENDING, 0, 0, null),
                        org.assertj.core.groups.Tuple.tuple(ItemState.PENDING, 1, 1, "http_429"));
    }
}

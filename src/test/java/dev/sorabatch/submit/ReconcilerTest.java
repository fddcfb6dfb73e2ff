package dev.sorabatch.submit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sorabatch.ManualClock;
import dev.sorabatch.SimulatedProvider;
import dev.sorabatch.StoreFixture;
import dev.sorabatch.poll.PollPacer;
import dev.sorabatch.poll.PollSettings;
import dev.sorabatch.provider.Requests;
import dev.sorabatch.provider.VideoJob;
import dev.sorabatch.simulator.SimulatorSettings;
import dev.sorabatch.store.Batch;
import dev.sorabatch.store.Item;
import dev.sorabatch.store.ItemState;
import dev.sorabatch.worker.Backoff;
import dev.sorabatch.worker.ProviderGate;
import dev.sorabatch.worker.WorkContext;
import dev.sorabatch.worker.WorkerSettings;

/** Creates of unknown outcome, settled by one listing of the simulator's jobs per round. */
class ReconcilerTest {

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(System.currentTimeMillis());
    private StoreFixture fixture;
    private SimulatedProvider simulator;
    private Reconciler reconciler;

    @BeforeEach
    void start() throws Exception {
        fixture = new StoreFixture(dir, clock);
        simulator = new SimulatedProvider(new SimulatorSettings().generationTime(Duration.ofSeconds(30),
                Duration.ofSeconds(30)));
        WorkContext work = WorkContext.of(fixture.store, new WorkerSettings(50, 30_000, "test"), new ProviderGate(clock),
                clock);
        reconciler = new Reconciler(work, simulator.provider, new SubmitSettings(600, 600, 0, 5, 1_000, 200, 600_000, 2),
                new Backoff(100, 2, 0, 1000, 60_000, 5), new PollPacer(clock, new PollSettings(100, 30_000, 10_000)));
    }

    @AfterEach
    void stop() throws Exception {
        simulator.close();
        fixture.close();
    }

    /** Items claimed for a create whose lease has run out, as a worker that died would leave them. */
    private List<Item> abandonedCreates(Batch batch, int n) throws Exception {
        List<Item> claimed = fixture.store.claims().forCreate(n, 1_000, "dead");
        clock.millis.addAndGet(1_000);
        return claimed;
    }

    @Test
    void aJobWhoseCreateAnswerWasLostIsAdoptedAndAnAbsentOneIsCreatedAgain() throws Exception {
        Batch batch = fixture.batch("lost", 2);
        List<Item> claimed = abandonedCreates(batch, 2);
        // the first create reached the provider, its answer did not reach us; the second never left
        VideoJob made = simulator.provider.submit(Requests.text(claimed.get(0).prompt(), "sora-2", 4, "720x1280"), "k");

        List<Reconciler.Round> rounds = reconciler.claim();
        assertThat(rounds).hasSize(1);
        assertThat(rounds.get(0).items()).hasSize(2);
        reconciler.work(rounds.get(0));

        assertThat(fixture.items(batch)).extracting(Item::state, Item::providerJobId).containsExactly(
                org.assertj.core.groups.Tuple.tuple(ItemState.SUBMITTED, made.id()),
                org.assertj.core.groups.Tuple.tuple(ItemState.PENDING, null));
        assertThat(fixture.item(batch, 2).errorCode()).isEqualTo("create_not_received");
        assertThat(simulator.server.stats().listCalls()).as("one listing for the round").isEqualTo(1);
        assertThat(simulator.server.stats().jobsCreated()).as("nothing created twice").isEqualTo(1);
    }

    @Test
    void anItemThatCannotBeSettledBecomesUncertainAfterItsTries() throws Exception {
        Batch batch = fixture.batch("unknown", 1);
        abandonedCreates(batch, 1);
        simulator.server.settings().serverErrorShare(1);

        reconciler.work(reconciler.claim().get(0));
        Item first = fixture.item(batch, 1);
        assertThat(first.state()).isEqualTo(ItemState.SUBMITTING);
        assertThat(first.errorCode()).isEqualTo("reconcile_pending");
        assertThat(first.reconcileTries()).isEqualTo(1);

        clock.millis.addAndGet(31_000);
        reconciler.work(reconciler.claim().get(0));
        Item last = fixture.item(batch, 1);
        assertThat(last.state()).as("never created blindly").isEqualTo(ItemState.UNCERTAIN);
        assertThat(last.errorCode()).isEqualTo("create_outcome_unknown");
        assertThat(simulator.server.stats().jobsCreated()).isZero();
    }

    @Test
    void nothingDueMeansNoRoundAndNoListing() throws Exception {
        fixture.batch("quiet", 1);
        assertThat(reconciler.claim()).isEmpty();
        assertThat(simulator.server.stats().listCalls()).isZero();
    }
}

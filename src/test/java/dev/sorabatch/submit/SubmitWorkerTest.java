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
import dev.sorabatch.budget.Budgets;
import dev.sorabatch.poll.PollPacer;
import dev.sorabatch.poll.PollSettings;
import dev.sorabatch.reference.InputReferences;
import dev.sorabatch.reference.ReferencePolicy;
import dev.sorabatch.simulator.SimulatorSettings;
import dev.sorabatch.store.Batch;
import dev.sorabatch.store.Item;
import dev.sorabatch.store.ItemState;
import dev.sorabatch.worker.Backoff;
import dev.sorabatch.worker.ProviderGate;
import dev.sorabatch.worker.WorkContext;
import dev.sorabatch.worker.WorkerSettings;

/** Creates against the simulator over HTTP: the provider's concurrency limit is learned and kept to, then probed. */
class SubmitWorkerTest {

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(System.currentTimeMillis());
    private StoreFixture fixture;
    private SimulatedProvider simulator;
    private SubmitWorker worker;

    @BeforeEach
    void start() throws Exception {
        fixture = new StoreFixture(dir, clock);
        // two jobs at once at most; each runs long enough to stay in flight through the test
        simulator = new SimulatedProvider(new SimulatorSettings().maxInFlight(2)
                .generationTime(Duration.ofSeconds(30), Duration.ofSeconds(30)));
        WorkContext work = WorkContext.of(fixture.store, new WorkerSettings(50, 30_000, "test"), new ProviderGate(clock),
                clock);
        SubmitSettings settings = new SubmitSettings(600, 600, 0, 5, 60_000, 200, 600_000, 3);
        worker = new SubmitWorker(work, simulator.provider, settings, new Backoff(100, 2, 0, 1000, 60_000, 5),
                new PollPacer(clock, new PollSettings(100, 30_000, 10_000)),
                new InputReferences(() -> null, ReferencePolicy.DEFAULT), Budgets.unlimited(fixture.store));
    }

    @AfterEach
    void stop() throws Exception {
        simulator.close();
        fixture.close();
    }

    @Test
    void theProvidersConcurrencyLimitIsLearnedKeptToAndProbedAfterAQuietSpell() throws Exception {
        Batch batch = fixture.batch("ceiling", 5);
        List<Item> claimed = worker.claim();
        assertThat(claimed).as("sora.max-in-flight allows five").hasSize(5);
        for (Item item : claimed) {
            worker.work(item);
        }
        assertThat(fixture.items(batch)).extracting(Item::state).containsExactly(ItemState.SUBMITTED,
                ItemState.SUBMITTED, ItemState.PENDING, ItemState.PENDING, ItemState.PENDING);
        assertThat(worker.ceiling()).as("the limit the provider named in its 429").isEqualTo(2);
        assertThat(simulator.server.stats().rateLimited()).isEqualTo(3);

        clock.millis.addAndGet(60_000); // past the Retry-After hold
        assertThat(worker.claim()).as("two in flight: no slot under the learned ceiling").isEmpty();

        clock.millis.addAndGet(ConcurrencyCeiling.PROBE_NAMED_MILLIS);
        assertThat(worker.ceiling()).as("probed one higher after ten quiet minutes").isEqualTo(3);
        assertThat(worker.claim()).hasSize(1);
    }

    @Test
    void aRefusedCreateOfAnUnknownOutcomeStaysSubmittingForReconciliation() throws Exception {
        Batch batch = fixture.batch("lost", 1);
        simulator.server.settings().lostResponseShare(1);
        Item item = worker.claim().get(0);
        worker.work(item);
        Item after = fixture.item(batch, 1);
        assertThat(after.state()).isEqualTo(ItemState.SUBMITTING);
        assertThat(after.errorCode()).isEqualTo("no_response");
        assertThat(after.nextAttemptAt()).as("reconciled after the settle time").isEqualTo(clock.millis() + 200);
    }
}

package dev.sorabatch.submit;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import dev.sorabatch.ManualClock;
import dev.sorabatch.SimulatedProvider;
import dev.sorabatch.StoreFixture;
import dev.sorabatch.budget.Budget;
import dev.sorabatch.budget.Budgets;
import dev.sorabatch.poll.PollPacer;
import dev.sorabatch.poll.PollSettings;
import dev.sorabatch.provider.ProviderLimits;
import dev.sorabatch.provider.ProviderRegistry;
import dev.sorabatch.reference.InputReferences;
import dev.sorabatch.reference.ReferencePolicy;
import dev.sorabatch.simulator.SimulatorSettings;
import dev.sorabatch.store.Batch;
import dev.sorabatch.store.Item;
import dev.sorabatch.store.ItemState;
import dev.sorabatch.store.JobStore;
import dev.sorabatch.worker.Backoff;
import dev.sorabatch.worker.ProviderGate;
import dev.sorabatch.worker.WorkContext;
import dev.sorabatch.worker.WorkerSettings;

/**
 * Creates against the simulator over HTTP, from one submit worker or from several sharing one job store as
 * instances do: the provider's concurrency limit is learned, kept to by all and probed by one; a Retry-After holds
 * all; together they keep to the rate and to max-in-flight. On H2 and PostgreSQL.
 */
@ParameterizedClass
@EnumSource(StoreFixture.Engine.class)
class SubmitWorkerTest {

    @Parameter
    StoreFixture.Engine engine;

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(System.currentTimeMillis());
    private StoreFixture fixture;
    private SimulatedProvider simulator;
    private SubmitWorker worker;

    @BeforeEach
    void start() throws Exception {
        fixture = new StoreFixture(engine, dir, clock);
        // two jobs at once at most; each runs long enough to stay in flight through the test
        simulator = new SimulatedProvider(new SimulatorSettings().maxInFlight(2)
                .generationTime(Duration.ofSeconds(30), Duration.ofSeconds(30)));
        worker = instance(new SubmitSettings(600, 600, 0, 5, 60_000, 200, 600_000, 3));
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
    void aCeilingLearnedByOneInstanceCapsTheOthersAndIsProbedByOneOnly() throws Exception {
        SubmitSettings settings = new SubmitSettings(600, 600, 0, 5, 60_000, 200, 600_000, 3);
        SubmitWorker other = instance(settings);
        SubmitWorker third = instance(settings);
        fixture.batch("ceiling", 8);
        for (Item item : worker.claim()) {
            worker.work(item);
        }
        assertThat(other.ceiling()).as("learned by the first instance, read by the second").isEqualTo(2);

        clock.millis.addAndGet(60_000); // past the Retry-After hold
        assertThat(other.claim()).as("two in flight under a ceiling of two").isEmpty();
        assertThat(third.claim()).isEmpty();

        clock.millis.addAndGet(ConcurrencyCeiling.PROBE_NAMED_MILLIS);
        assertThat(other.claim()).as("the probe's one more job").hasSize(1);
        assertThat(third.claim()).as("probed by one instance, not by each").isEmpty();
        assertThat(worker.claim()).isEmpty();
        assertThat(worker.ceiling()).isEqualTo(3);
    }

    @Test
    void aRetryAfterMetByOneInstanceHoldsTheOthers() throws Exception {
        simulator.server.settings().maxInFlight(0).createsPerMinute(2);
        SubmitWorker other = instance(new SubmitSettings(600, 600, 0, 50, 60_000, 200, 600_000, 3));
        fixture.batch("held", 6);
        List<Item> first = worker.claim();
        for (Item item : first) {
            worker.work(item);
        }
        assertThat(simulator.server.stats().rateLimited()).as("the provider allowed two of five").isEqualTo(3);
        long heldUntil = fixture.store.accounts().get("openai").pausedUntil();
        assertThat(heldUntil).isGreaterThan(clock.millis());

        assertThat(other.claim()).as("the other instance met no 429 itself, and waits too").isEmpty();
        clock.millis.set(heldUntil - 1);
        assertThat(other.claim()).isEmpty();
        clock.millis.set(heldUntil);
        assertThat(other.claim()).isNotEmpty();
    }

    @Test
    void threeInstancesTogetherKeepToTheRateInEverySlidingMinuteAndToMaxInFlight() throws Exception {
        simulator.server.settings().maxInFlight(0);
        int perMinute = 20;
        int maxInFlight = 30;
        SubmitSettings settings = new SubmitSettings(perMinute, 2, 0, maxInFlight, 60_000, 200, 600_000, 3);
        List<SubmitWorker> instances = List.of(instance(settings), instance(settings), instance(settings));
        Batch batch = fixture.batch("shared", 50);
        long start = clock.millis();
        ExecutorService threads = Executors.newFixedThreadPool(instances.size());
        try {
            for (int tick = 0; tick < 180; tick++) { // three minutes: every instance claims at once, each second
                List<Callable<Void>> claims = new ArrayList<>();
                for (SubmitWorker instance : instances) {
                    claims.add(() -> {
                        for (Item item : instance.claim()) {
                            instance.work(item);
                        }
                        return null;
                    });
                }
                for (Future<Void> f : threads.invokeAll(claims)) {
                    f.get();
                }
                clock.millis.addAndGet(1_000);
            }
        } finally {
            threads.shutdownNow();
        }
        List<Long> sent = fixture.items(batch).stream().map(Item::submittingAt).filter(Objects::nonNull).sorted()
                .toList();
        assertThat(simulator.server.stats().rateLimited()).isZero();
        assertThat(simulator.server.stats().jobsCreated()).as("every create the instances granted").isEqualTo(sent.size());
        assertThat(sent).as("jobs in flight, by every instance: max-in-flight, no more").hasSize(maxInFlight);
        assertThat(simulator.server.stats().maxInFlight()).isLessThanOrEqualTo(maxInFlight);
        assertThat(maxInAnyMinute(sent)).as("creates in any sliding minute").isEqualTo(perMinute);
        assertThat(sent).as("the first minute's creates").filteredOn(t -> t < start + 60_000).hasSize(perMinute);
    }

    @Test
    void aCreateTheBudgetEndsGivesItsGrantBack() throws Exception {
        SubmitWorker budgeted = instance(new SubmitSettings(2, 2, 0, 50, 60_000, 200, 600_000, 3),
                store -> Budgets.perBatch(store, new BigDecimal("0.50"))); // one 4-second sora-2 create a batch
        fixture.batch("first", 2);
        assertThat(budgeted.claim()).as("one of the two fits the batch's budget").hasSize(1);
        fixture.batch("second", 2);
        assertThat(budgeted.claim()).as("the minute's second create was given back by the item the budget ended")
                .hasSize(1);
        fixture.batch("third", 1);
        assertThat(budgeted.claim()).as("two creates sent this minute").isEmpty();
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

    /** A submit worker as one instance has it: its own job store on the shared database. */
    private SubmitWorker instance(SubmitSettings settings) {
        return instance(settings, Budgets::unlimited);
    }

    private SubmitWorker instance(SubmitSettings settings, Function<JobStore, Budget> budget) {
        JobStore store = fixture.instance(clock);
        WorkContext work = WorkContext.of(store, new WorkerSettings(50, 30_000, "test"), new ProviderGate(clock), clock);
        return new SubmitWorker(work, ProviderRegistry.of(ProviderRegistry.OPENAI, simulator.provider,
                new ProviderLimits(settings.requestsPerMinute(), settings.burst(), settings.maxInFlight())), settings,
                new Backoff(100, 2, 0, 1000, 60_000, 5), new PollPacer(clock, new PollSettings(100, 30_000, 10_000)),
                new InputReferences(() -> null, ReferencePolicy.DEFAULT), budget.apply(store));
    }

    private static int maxInAnyMinute(List<Long> sorted) {
        int most = 0;
        for (int i = 0, j = 0; j < sorted.size(); j++) {
            while (sorted.get(i) <= sorted.get(j) - 60_000) {
                i++;
            }
            most = Math.max(most, j - i + 1);
        }
        return most;
    }
}

package dev.sorabatch.poll;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sorabatch.ManualClock;
import dev.sorabatch.SimulatedProvider;
import dev.sorabatch.StoreFixture;
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

/** Status checks against the simulator over HTTP, and what each answer does to the item. */
class PollWorkerTest {

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(System.currentTimeMillis());
    private final ProviderGate gate = new ProviderGate(clock);
    private StoreFixture fixture;
    private SimulatedProvider simulator;

    @BeforeEach
    void open() throws Exception {
        fixture = new StoreFixture(dir, clock);
    }

    @AfterEach
    void stop() throws Exception {
        if (simulator != null) {
            simulator.close();
        }
        fixture.close();
    }

    private PollWorker worker(SimulatorSettings settings, String key) throws Exception {
        simulator = new SimulatedProvider(settings.requiredApiKey("right"), key, Map.of());
        WorkContext work = WorkContext.of(fixture.store, new WorkerSettings(50, 30_000, "test"), gate, clock);
        return new PollWorker(work, simulator.provider, new PollPacer(clock, new PollSettings(100, 30_000, 10_000)),
                new Backoff(100, 2, 0, 1000, 60_000, 5));
    }

    /** One item SUBMITTED with {@code jobId}, due for its check now. */
    private Batch submitted(String name, String jobId) throws Exception {
        Batch batch = fixture.batch(name, 1);
        Item item = fixture.store.claims().forCreate(1, 30_000, "test").get(0);
        fixture.store.items().accepted(item.id(), jobId, clock.millis(), clock.millis());
        return batch;
    }

    @Test
    void aRunningJobRecordsItsProgressAndAFinishedOneIsDueForFetchingAtOnce() throws Exception {
        PollWorker worker = worker(new SimulatorSettings().generationTime(Duration.ofSeconds(30), Duration.ofSeconds(30)),
                "right");
        VideoJob slow = simulator.provider.submit(Requests.text("A fox", "sora-2", 4, "720x1280"), "k");
        Batch running = submitted("running", slow.id());
        worker.work(worker.claim().get(0));
        Item checked = fixture.item(running, 1);
        assertThat(checked.state()).isEqualTo(ItemState.SUBMITTED);
        assertThat(checked.statusChecks()).isEqualTo(1);
        assertThat(checked.nextAttemptAt()).as("paced, not looped").isGreaterThan(clock.millis());

        simulator.server.settings().generationTime(Duration.ZERO, Duration.ZERO);
        VideoJob quick = simulator.provider.submit(Requests.text("A hare", "sora-2", 4, "720x1280"), "k");
        Batch batch = submitted("done", quick.id());
        worker.work(worker.claim().get(0));
        Item done = fixture.item(batch, 1);
        assertThat(done.state()).isEqualTo(ItemState.COMPLETED);
        assertThat(done.expiresAt()).isNotNull();
        assertThat(done.nextAttemptAt()).isEqualTo(clock.millis());
    }

    @Test
    void aJobTheProviderNoLongerKnowsFails() throws Exception {
        PollWorker worker = worker(new SimulatorSettings(), "right");
        Batch batch = submitted("gone", "video_gone");
        worker.work(worker.claim().get(0));
        assertThat(fixture.item(batch, 1)).extracting(Item::state, Item::errorCode)
                .containsExactly(ItemState.FAILED, "job_not_found");
    }

    @Test
    void refusedCredentialsCloseTheGateAndLeaveTheItemAsItWas() throws Exception {
        PollWorker worker = worker(new SimulatorSettings(), "wrong");
        Batch batch = submitted("refused", "video_any");
        worker.work(worker.claim().get(0));
        assertThat(gate.open()).isFalse();
        assertThat(fixture.item(batch, 1)).extracting(Item::state, Item::errorCode)
                .containsExactly(ItemState.SUBMITTED, "invalid_api_key");
    }
}

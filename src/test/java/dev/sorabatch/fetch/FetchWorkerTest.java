package dev.sorabatch.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sorabatch.ManualClock;
import dev.sorabatch.SimulatedProvider;
import dev.sorabatch.StoreFixture;
import dev.sorabatch.budget.Budgets;
import dev.sorabatch.output.FolderOutputStore;
import dev.sorabatch.provider.Requests;
import dev.sorabatch.provider.VideoJob;
import dev.sorabatch.provider.VideoRequest;
import dev.sorabatch.qa.ClipCheck;
import dev.sorabatch.simulator.Asset;
import dev.sorabatch.simulator.SimulatorSettings;
import dev.sorabatch.store.Batch;
import dev.sorabatch.store.Item;
import dev.sorabatch.store.ItemState;
import dev.sorabatch.worker.Backoff;
import dev.sorabatch.worker.ProviderGate;
import dev.sorabatch.worker.WorkContext;
import dev.sorabatch.worker.WorkerSettings;

/** Downloads from the simulator over HTTP into a real output folder, and content that is gone. */
class FetchWorkerTest {

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(System.currentTimeMillis());
    private StoreFixture fixture;
    private SimulatedProvider simulator;
    private FetchWorker worker;

    @BeforeEach
    void start() throws Exception {
        fixture = new StoreFixture(dir, clock);
        simulator = new SimulatedProvider(new SimulatorSettings().generationTime(Duration.ZERO, Duration.ZERO));
        WorkContext work = WorkContext.of(fixture.store, new WorkerSettings(50, 30_000, "test"), new ProviderGate(clock),
                clock);
        worker = new FetchWorker(work, simulator.provider, new FolderOutputStore(dir.resolve("out")),
                new FetchSettings(true), new Backoff(100, 2, 0, 1000, 60_000, 5),
                new ClipQa(Budgets.builtInPrices(), ClipCheck.DEFAULT));
    }

    @AfterEach
    void stop() throws Exception {
        simulator.close();
        fixture.close();
    }

    /** One item whose job is done at the simulator, COMPLETED with content until {@code expiresAt}. */
    private Batch completed(String name, long expiresAt) throws Exception {
        Batch batch = fixture.batch(name, 1);
        VideoJob job = simulator.provider.submit(Requests.text("A fox", "sora-2", 4, "720x1280"), "k");
        Item item = fixture.store.claims().forCreate(1, 30_000, "test").get(0);
        fixture.store.items().accepted(item.id(), job.id(), clock.millis(), clock.millis());
        fixture.store.items().completed(item.id(), clock.millis(), expiresAt);
        return batch;
    }

    @Test
    void theVideoAndItsThumbnailAreStreamedToTheOutputAndHashed() throws Exception {
        Batch batch = completed("fetch", clock.millis() + 3_600_000);
        worker.work(worker.claim().get(0));

        Item stored = fixture.item(batch, 1);
        assertThat(stored.state()).isEqualTo(ItemState.STORED);
        assertThat(stored.videoPath()).isEqualTo("videos/fetch-1.mp4");
        assertThat(stored.thumbnailPath()).isEqualTo("thumbnails/fetch-1.webp");
        Path video = dir.resolve("out/fetch/videos/fetch-1.mp4");
        assertThat(stored.sha256()).isEqualTo(simulator.server.sha256(Asset.VIDEO))
                .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(video))));
        assertThat(stored.bytes()).isEqualTo(Files.size(video));
        assertThat(dir.resolve("out/fetch/thumbnails/fetch-1.webp")).exists();
    }

    @Test
    void contentPastItsExpiryEndsTheItemWithoutACall() throws Exception {
        Batch batch = completed("late", clock.millis() - 1);
        worker.work(worker.claim().get(0));
        assertThat(fixture.item(batch, 1)).extracting(Item::state, Item::errorCode)
                .containsExactly(ItemState.EXPIRED, "content_expired");
        assertThat(simulator.server.stats().downloads("video")).isZero();
    }

    @Test
    void contentTheProviderNoLongerHasEndsTheItemWithTheProvidersReason() throws Exception {
        simulator.server.settings().contentExpiry(Duration.ZERO);
        Batch batch = completed("gone", clock.millis() + 3_600_000);
        worker.work(worker.claim().get(0));
        assertThat(fixture.item(batch, 1)).extracting(Item::state, Item::errorCode)
                .containsExactly(ItemState.EXPIRED, "video_expired");
    }
}

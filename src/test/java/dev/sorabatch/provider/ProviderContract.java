package dev.sorabatch.provider;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.sorabatch.catalog.ImageInput;
import dev.sorabatch.catalog.ModelCatalog;
import dev.sorabatch.catalog.ModelSpec;
import dev.sorabatch.provider.ProviderException.Kind;
import dev.sorabatch.settings.SettingException;
import dev.sorabatch.settings.Settings;
import dev.sorabatch.simulator.Asset;
import dev.sorabatch.simulator.SimulatorApi;
import dev.sorabatch.simulator.SimulatorServer;
import dev.sorabatch.simulator.SimulatorSettings;

/**
 * The contract every adapter keeps, run against the simulator face of its own wire format over loopback HTTP. A
 * subclass names the face, how the adapter is built from its {@code sora.<provider>.*} settings, and the provider's
 * own words for what the contract checks (its failure and moderation codes, whether it refuses or queues over its
 * concurrency); what a test expects beyond that follows from the adapter's declared capabilities.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ProviderContract {

    static final String KEY = "contract-key-0123456789";
    static final ModelCatalog CATALOG = ModelCatalog.builtIn();

    private CamelContext camel;
    SimulatorServer server;
    VideoProvider provider;

    /** The simulator face that speaks this provider's wire format. */
    abstract SimulatorApi api();

    /** The catalogue's provider name. */
    abstract String catalogName();

    /** The {@code sora.<provider>.*} settings that point the adapter at {@code baseUrl} with {@code key}. */
    abstract Map<String, String> settings(String baseUrl, String key);

    /** The adapter, built the way the pipeline builds it, from its settings. */
    abstract VideoProvider adapter(CamelContext camel, Settings settings);

    /** The setting that names the key, and the vendor's variable the message must point to. */
    abstract String keySetting();

    abstract String keyVariable();

    /** Whether the provider answers 429 over its concurrency (else it queues the job). */
    abstract boolean refusesOverInFlightLimit();

    /** The error code of a job that failed. */
    abstract String failedJobCode();

    /** The error code of a moderation refusal, at create or on the job. */
    abstract String moderationCode();

    @BeforeAll
    void startCamel() {
        camel = new DefaultCamelContext();
        camel.start();
    }

    @AfterAll
    void stopCamel() throws Exception {
        camel.close();
    }

    @BeforeEach
    void startSimulator() throws IOException {
        server = new SimulatorServer(0, new SimulatorSettings()
                .generationTime(Duration.ofMillis(150), Duration.ofMillis(250)).requiredApiKey(KEY)).start();
        provider = adapter(KEY);
    }

    @AfterEach
    void stopSimulator() {
        server.close();
    }

    VideoProvider adapter(String key) {
        return adapter(camel, settingsOf(settings(server.baseUrl(api()), key)));
    }

    static Settings settingsOf(Map<String, String> values) {
        return new Settings(k -> Optional.ofNullable(values.get(k)));
    }

    VideoRequest request(String prompt) {
        ModelSpec model = CATALOG.defaultModel(catalogName());
        return new VideoRequest(prompt, model.id(), model.defaultSeconds(), model.defaultFrame(),
                model.audio().byDefault(), null, null);
    }

    VideoJob finished(VideoJob submitted) {
        AtomicReference<VideoJob> last = new AtomicReference<>();
        await().atMost(5, SECONDS).pollInterval(25, MILLISECONDS).until(() -> {
            VideoJob job = provider.status(submitted.ref());
            assertThat(job.progress()).isBetween(-1, 100);
            last.set(job);
            return job.status().finished();
        });
        return last.get();
    }

    static String sha256(InputStream in) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (DigestInputStream body = new DigestInputStream(in, digest)) {
                body.transferTo(java.io.OutputStream.nullOutputStream());
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    String downloadSha(VideoJob job, Variant variant) throws Exception {
        return provider.download(job.ref(), variant, content -> sha256(content.body()));
    }

    // ---------------------------------------------------------------- the contract

    @Test
    void aJobRunsToCompletionAndItsVideoIsTheBytesServed() throws Exception {
        provider.verifyAccess();
        VideoJob submitted = provider.submit(request("a lighthouse at dusk"), "key-happy");
        assertThat(submitted.id()).isNotBlank();
        assertThat(submitted.status()).isEqualTo(JobStatus.QUEUED);

        VideoJob done = finished(submitted);
        assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(done.progress()).isEqualTo(100);
        assertThat(downloadSha(done, Variant.VIDEO)).isEqualTo(server.sha256(Asset.VIDEO));
        assertThat(server.stats().downloads("video")).isEqualTo(1);
        assertThat(server.stats().jobsCreated("a lighthouse at dusk")).isEqualTo(1);
        assertThat(server.stats().credentialsToFileHost()).as("the key never goes to the file host").isZero();
        if (provider.can(Capability.THUMBNAIL)) {
            assertThat(downloadSha(done, Variant.THUMBNAIL)).isEqualTo(server.sha256(Asset.THUMBNAIL));
        } else {
            assertThat(catchThrowableOfType(() -> downloadSha(done, Variant.THUMBNAIL), ProviderException.class)
                    .kind()).isEqualTo(Kind.NOT_FOUND);
        }
    }

    @Test
    void aFirstFrameImageIsSentWhereTheProviderTakesOne() throws Exception {
        assumeTrue(provider.can(Capability.IMAGE_INPUT));
        ModelSpec model = CATALOG.models(catalogName()).stream().filter(m -> m.image() != ImageInput.NONE)
                .findFirst().orElseThrow();
        byte[] png;
        try (InputStream in = getClass().getResourceAsStream("/poster/sample-first-frame.png")) {
            png = in.readAllBytes();
        }
        VideoRequest request = new VideoRequest("the frame comes alive", model.id(), model.defaultSeconds(),
                model.defaultFrame(), model.audio().byDefault(), new ReferenceImage(png, "image/png", "first.png"), null);
        assertThat(finished(provider.submit(request, "key-image")).status()).isEqualTo(JobStatus.COMPLETED);
    }

    @Test
    void overThePerMinuteLimitACreateIsRefusedWith429AndRetryAfterAndNothingIsMade() throws Exception {
        server.settings().createsPerMinute(1);
        provider.submit(request("first of the minute"), "key-1");
        ProviderException e = catchThrowableOfType(() -> provider.submit(request("second of the minute"), "key-2"),
                ProviderException.class);
        assertThat(e.kind()).isEqualTo(Kind.RETRYABLE);
        assertThat(e.httpStatus()).isEqualTo(429);
        assertThat(e.retryAfter()).isNotNull().isPositive();
        assertThat(server.stats().jobsCreated()).isEqualTo(1);
    }

    @Test
    void overTheInFlightLimitAJobIsRefusedOrQueuedAsTheProviderDoes() throws Exception {
        server.settings().maxInFlight(1).generationTime(Duration.ofMillis(400), Duration.ofMillis(400));
        VideoJob first = provider.submit(request("holds the slot"), "key-a");
        if (refusesOverInFlightLimit()) {
            ProviderException e = catchThrowableOfType(() -> provider.submit(request("waits"), "key-b"),
                    ProviderException.class);
            assertThat(e.kind()).isEqualTo(Kind.RETRYABLE);
            assertThat(e.httpStatus()).isEqualTo(429);
            assertThat(e.retryAfter()).isNotNull().isPositive();
            assertThat(server.stats().jobsCreated()).isEqualTo(1);
        } else {
            VideoJob second = provider.submit(request("waits"), "key-b");
            assertThat(provider.status(second.ref()).status()).as("held back, which counts as queued")
                    .isEqualTo(JobStatus.QUEUED);
            assertThat(server.stats().queuedOverLimit()).isEqualTo(1);
            assertThat(finished(first).status()).isEqualTo(JobStatus.COMPLETED);
            assertThat(finished(second).status()).isEqualTo(JobStatus.COMPLETED);
        }
    }

    @Test
    void serverErrorsAreClassifiedByWhetherTheJobMayExist() throws Exception {
        VideoJob job = provider.submit(request("polled through errors"), "key-5xx");
        server.settings().serverErrorShare(1);
        for (int i = 0; i < 6; i++) {
            ProviderException create = catchThrowableOfType(() -> provider.submit(request("never made"), "key-x"),
                    ProviderException.class);
            assertThat(create.kind()).as("HTTP %d", create.httpStatus())
                    .isEqualTo(create.httpStatus() == 503 ? Kind.RETRYABLE : Kind.OUTCOME_UNKNOWN);
            ProviderException status = catchThrowableOfType(() -> provider.status(job.ref()), ProviderException.class);
            assertThat(status.httpStatus()).isIn(500, 502, 503);
        }
        assertThat(server.stats().jobsCreated("never made")).isZero();
    }

    @Test
    void aDroppedConnectionLeavesTheCreateAmbiguous() {
        server.settings().dropShare(1);
        ProviderException e = catchThrowableOfType(() -> provider.submit(request("dropped"), "key-drop"),
                ProviderException.class);
        assertThat(e.kind()).isEqualTo(Kind.OUTCOME_UNKNOWN);
        assertThat(e.httpStatus()).isZero();
        assertThat(server.stats().drops()).isEqualTo(1);
    }

    @Test
    void aCreateThatNeverLeftIsSafeToSendAgain() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        VideoProvider nowhere = adapter(camel, settingsOf(settings(
                server.baseUrl(api()).replace(":" + server.port() + "/", ":" + closed + "/"), KEY)));
        ProviderException e = catchThrowableOfType(() -> nowhere.submit(request("not sent"), "key-ns"),
                ProviderException.class);
        assertThat(e.kind()).isEqualTo(Kind.RETRYABLE);
        assertThat(e.code()).isEqualTo("not_sent");
    }

    /**
     * A create whose answer is lost made one paid job; how it is settled follows from the capabilities: found by
     * listing, or answered again for the same key. Without either the adapter can only say it is ambiguous.
     */
    @Test
    void aLostCreateAnswerIsAmbiguousAndSettledOnlyAsTheCapabilitiesAllow() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        server.settings().lostResponseShare(1);
        ProviderException e = catchThrowableOfType(() -> provider.submit(request("answer lost"), "key-lost"),
                ProviderException.class);
        server.settings().lostResponseShare(0);
        assertThat(e.kind()).isEqualTo(Kind.OUTCOME_UNKNOWN);
        assertThat(server.stats().jobsCreated("answer lost")).isEqualTo(1);
        if (provider.can(Capability.LIST)) {
            assertThat(provider.list(before)).extracting(VideoJob::prompt).contains("answer lost");
        }
        if (provider.can(Capability.IDEMPOTENT_CREATE)) {
            VideoJob again = provider.submit(request("answer lost"), "key-lost");
            assertThat(again.id()).isNotBlank();
            assertThat(server.stats().replayedCreates()).isEqualTo(1);
        }
        assertThat(server.stats().jobsCreated("answer lost")).as("never two paid jobs").isEqualTo(1);
    }

    @Test
    void aFailedJobCarriesTheProvidersCodeAndMessage() throws Exception {
        server.settings().failureShare(1);
        VideoJob done = finished(provider.submit(request("doomed"), "key-fail"));
        assertThat(done.status()).isEqualTo(JobStatus.FAILED);
        assertThat(done.error().code()).isEqualTo(failedJobCode());
        assertThat(done.error().message()).isNotBlank();
    }

    @Test
    void aModerationRefusalCarriesTheProvidersCode() throws Exception {
        String prompt = "a scene with the forbidden-word in it";
        ProviderError error;
        try {
            VideoJob done = finished(provider.submit(request(prompt), "key-mod"));
            assertThat(done.status()).isEqualTo(JobStatus.FAILED);
            error = done.error();
        } catch (ProviderException refusedAtCreate) {
            assertThat(refusedAtCreate.kind()).isEqualTo(Kind.REJECTED);
            error = refusedAtCreate.error();
        }
        assertThat(error.code()).isEqualTo(moderationCode());
        assertThat(error.message()).isNotBlank();
    }

    @Test
    void anExpiredOutputIsNotFound() throws Exception {
        server.settings().contentExpiry(Duration.ZERO);
        VideoJob done = finished(provider.submit(request("gone by the time it is fetched"), "key-exp"));
        assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
        ProviderException e = catchThrowableOfType(() -> downloadSha(done, Variant.VIDEO), ProviderException.class);
        assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND);
        assertThat(server.stats().downloads("video")).isZero();
    }

    @Test
    void refusedCredentialsAreAuthAndMakeNothing() {
        VideoProvider wrong = adapter("wrong-key-9876543210");
        assertThat(catchThrowableOfType(wrong::verifyAccess, ProviderException.class).kind()).isEqualTo(Kind.AUTH);
        ProviderException e = catchThrowableOfType(() -> wrong.submit(request("unpaid"), "key-auth"),
                ProviderException.class);
        assertThat(e.kind()).isEqualTo(Kind.AUTH);
        assertThat(e.getMessage()).doesNotContain("wrong-key-9876543210");
        assertThat(server.stats().jobsCreated()).isZero();
    }

    @Test
    void theKeyComesFromTheVendorsVariable() {
        Map<String, String> values = new HashMap<>(settings(server.baseUrl(api()), KEY));
        values.remove(keySetting());
        assertThatThrownBy(() -> adapter(camel, settingsOf(values))).isInstanceOf(SettingException.class)
                .hasMessageContaining(keySetting()).hasMessageContaining(keyVariable());
    }

    @Test
    void aCancelledJobEndsCancelled() throws Exception {
        assumeTrue(provider.can(Capability.CANCEL));
        server.settings().generationTime(Duration.ofSeconds(5), Duration.ofSeconds(5));
        VideoJob job = provider.submit(request("called off"), "key-cancel");
        provider.cancel(job.ref());
        assertThat(provider.status(job.ref()).status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(server.stats().cancels()).isEqualTo(1);
        provider.cancel(job.ref()); // again: best effort, no failure
    }

    @Test
    void listingReturnsTheJobsOfTheWindowNewestFirstWithTheirPrompts() throws Exception {
        assumeTrue(provider.can(Capability.LIST));
        Instant before = Instant.now().minusSeconds(1);
        provider.submit(request("listed one"), "key-l1");
        provider.submit(request("listed two"), "key-l2");
        List<VideoJob> listed = provider.list(before);
        assertThat(listed).extracting(VideoJob::prompt).containsExactly("listed two", "listed one");
        assertThat(listed).allSatisfy(job -> {
            assertThat(job.size()).isEqualTo(request("x").frame().size());
            assertThat(job.createdAt()).isAfterOrEqualTo(before);
        });
        assertThat(provider.list(Instant.now().plusSeconds(60))).isEmpty();
    }

    @Test
    void anIdempotentCreateWithTheSameKeyMakesOnePaidJob() throws Exception {
        assumeTrue(provider.can(Capability.IDEMPOTENT_CREATE));
        VideoJob first = provider.submit(request("once only"), "key-same");
        VideoJob again = provider.submit(request("once only"), "key-same");
        assertThat(again.id()).isEqualTo(first.id());
        assertThat(provider.submit(request("once only"), "key-other").id()).isNotEqualTo(first.id());
        assertThat(server.stats().jobsCreated("once only")).isEqualTo(2);
        assertThat(server.stats().replayedCreates()).isEqualTo(1);
    }
}

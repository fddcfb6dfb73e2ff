package dev.sorabatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import dev.sorabatch.aws.TestAws;
import dev.sorabatch.lifecycle.RunControl;
import dev.sorabatch.output.Hashing;
import dev.sorabatch.provider.Capability;
import dev.sorabatch.provider.ContractFace;
import dev.sorabatch.provider.JobRef;
import dev.sorabatch.provider.VideoProvider;
import dev.sorabatch.simulator.Asset;
import dev.sorabatch.simulator.SimulatorServer;
import dev.sorabatch.simulator.SimulatorSettings;
import dev.sorabatch.store.Item;
import dev.sorabatch.store.ItemState;

/**
 * The adapter contract through the real pipeline: prompt files in, videos and manifests out, with the adapter
 * configured as a user configures it ({@code sora.provider} and the provider's own base URL and key) against the
 * simulator face of its wire format. One pipeline per class, its simulator's knobs switched between tests; what a
 * test expects beyond the common contract follows from the adapter's capabilities. A subclass may add settings
 * (another output store, say) and then reads the output from there.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PipelineContract {

    static final String KEY = "pipeline-contract-key-0123";

    private Path dir;
    SimulatorServer server;
    Pipeline pipeline;
    VideoProvider adapter;

    /** The adapter under test. */
    abstract ContractFace face();

    /** Settings beyond the provider's, e.g. where the output goes; started before the pipeline. */
    Map<String, String> moreSettings() throws Exception {
        return Map.of();
    }

    /** A file of a batch's output as stored, or null while there is none. */
    byte[] output(String batch, String relativePath) throws IOException {
        Path file = pipeline.batchDir(batch).resolve(relativePath);
        return Files.exists(file) ? Files.readAllBytes(file) : null;
    }

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        this.dir = dir;
        TestAws.useTestCredentials();
        server = new SimulatorServer(0, new SimulatorSettings()
                .generationTime(Duration.ofMillis(200), Duration.ofMillis(400)).requiredApiKey(key())).start();
        pipeline = Pipeline.start(dir.resolve("run"), pipelineSettings(key(), Map.of()));
        adapter = pipeline.providers().adapter(face().provider());
    }

    /** The key the pipeline presents: its setting's, or the access key id the AWS default chain finds. */
    private String key() {
        return face().credentialsFromEnvironment() ? System.getProperty("aws.accessKeyId") : KEY;
    }

    @AfterAll
    void stop() throws Exception {
        pipeline.close();
        server.close();
    }

    @AfterEach
    void calmTheSimulator() {
        server.settings().serverErrorShare(0).dropShare(0).lostResponseShare(0).failureShare(0).maxInFlight(0)
                .credits(-1).contentExpiry(Duration.ofHours(1)).generationTime(Duration.ofMillis(200), Duration.ofMillis(400));
    }

    private String baseUrl() {
        return server.baseUrl(face().api());
    }

    Map<String, String> pipelineSettings(String key, Map<String, String> more) throws Exception {
        Map<String, String> settings = new HashMap<>(face().settings(baseUrl(), key));
        settings.putAll(moreSettings());
        settings.put("sora.provider", face().provider());
        settings.put("sora.reconcile.max-attempts", "20");
        settings.putAll(more);
        return settings;
    }

    JsonNode run(String batch, String... prompts) throws IOException {
        pipeline.drop(batch + ".csv", "prompt\n" + String.join("\n", prompts) + "\n");
        return awaitManifest(batch);
    }

    JsonNode awaitManifest(String batch) throws IOException {
        byte[] manifest = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> output(batch, "manifest.json"), Objects::nonNull);
        return Pipeline.JSON.readTree(manifest);
    }

    static JsonNode only(JsonNode manifest) {
        assertThat(manifest.path("items")).hasSize(1);
        return manifest.path("items").get(0);
    }

    private boolean can(Capability capability) {
        return adapter.capabilities().contains(capability);
    }

    // ---------------------------------------------------------------- the contract

    @Test
    void aPromptFileBecomesStoredVideosWithTheBytesServed() throws Exception {
        JsonNode manifest = run("happy", "A lighthouse at dusk", "A heron in the reeds");
        assertThat(manifest.path("counts").path("stored").asInt()).isEqualTo(2);
        for (JsonNode item : manifest.path("items")) {
            assertThat(item.path("provider").asText()).isEqualTo(face().provider());
            assertThat(item.path("audio").isBoolean()).as("sound asked or not, recorded").isTrue();
            byte[] video = output("happy", item.path("video").asText());
            assertThat(sha256(video)).isEqualTo(item.path("sha256").asText()).isEqualTo(server.sha256(Asset.VIDEO));
            assertThat(server.stats().jobsCreated(item.path("prompt").asText())).isEqualTo(1);
            if (!item.path("thumbnail").isNull()) {
                String expected = can(Capability.THUMBNAIL) ? server.sha256(Asset.THUMBNAIL) : null;
                String thumbnail = item.path("thumbnail").asText();
                if (expected != null) {
                    assertThat(sha256(output("happy", thumbnail))).isEqualTo(expected);
                } else {
                    assertThat(thumbnail).as("a poster of the first frame").endsWith(".jpg");
                    assertThat(output("happy", thumbnail)).startsWith((byte) 0xFF, (byte) 0xD8);
                }
            }
        }
        assertThat(server.stats().credentialsToFileHost()).isZero();
    }

    @Test
    void overTheInFlightLimitEveryItemIsStillMadeOnce() throws Exception {
        int limitedBefore = server.stats().rateLimited();
        server.settings().maxInFlight(1);
        JsonNode manifest = run("busy", "Busy one", "Busy two", "Busy three");
        assertThat(manifest.path("counts").path("stored").asInt()).isEqualTo(3);
        assertThat(List.of("Busy one", "Busy two", "Busy three"))
                .allMatch(prompt -> server.stats().jobsCreated(prompt) == 1);
        if (face().refusesOverInFlightLimit()) {
            assertThat(server.stats().rateLimited()).as("429s with Retry-After, honoured").isGreaterThan(limitedBefore);
        }
    }

    @Test
    void serverErrorsAndDropsEndEveryItemWithoutASecondPaidJob() throws Exception {
        server.settings().serverErrorShare(0.25).dropShare(0.15);
        String[] prompts = {"Stormy one", "Stormy two", "Stormy three", "Stormy four", "Stormy five"};
        JsonNode manifest = run("stormy", prompts);
        JsonNode counts = manifest.path("counts");
        assertThat(counts.path("stored").asInt() + counts.path("uncertain").asInt()).isEqualTo(prompts.length);
        for (String prompt : prompts) {
            assertThat(server.stats().jobsCreated(prompt)).as(prompt).isLessThanOrEqualTo(1);
        }
        for (JsonNode item : manifest.path("items")) {
            if (item.path("status").asText().equals("uncertain")) {
                assertThat(item.path("error").path("code").asText()).isEqualTo("create_outcome_unknown");
            }
        }
    }

    @Test
    void aLostCreateAnswerIsSettledByWhatTheProviderCanDoAndNeverPaidTwice() throws Exception {
        server.settings().lostResponseShare(1);
        pipeline.drop("lost.csv", "prompt\nPaper boats on a canal\n");
        await().atMost(Duration.ofSeconds(30)).until(() -> server.stats().lostResponses() > 0);
        server.settings().lostResponseShare(0);
        JsonNode item = only(awaitManifest("lost"));
        assertThat(server.stats().jobsCreated("Paper boats on a canal")).as("never two paid jobs").isEqualTo(1);
        if (can(Capability.LIST) || can(Capability.IDEMPOTENT_CREATE)) {
            assertThat(item.path("status").asText()).as("adopted or answered again for its key").isEqualTo("stored");
        } else {
            assertThat(item.path("status").asText()).isEqualTo("uncertain");
            assertThat(item.path("error").path("code").asText()).isEqualTo("create_outcome_unknown");
            assertThat(item.path("error").path("message").asText()).contains(face().provider(), "dashboard", "re-queue");
        }
    }

    @Test
    void aFailedJobEndsFailedWithTheProvidersCodeAndMessage() throws Exception {
        server.settings().failureShare(1);
        JsonNode item = only(run("doomed", "A doomed sandcastle"));
        assertThat(item.path("status").asText()).isEqualTo("failed");
        assertThat(item.path("error").path("code").asText()).isEqualTo(face().failedJobCode());
        assertThat(item.path("error").path("message").asText()).isNotBlank();
    }

    @Test
    void aModerationRefusalEndsFailedWithTheProvidersCode() throws Exception {
        JsonNode item = only(run("refused", "A scene with the forbidden-word in it"));
        assertThat(item.path("status").asText()).isEqualTo("failed");
        assertThat(item.path("error").path("code").asText()).isEqualTo(face().moderationCode());
    }

    @Test
    void outputThatExpiresBeforeItIsFetchedEndsExpired() throws Exception {
        server.settings().contentExpiry(Duration.ZERO);
        JsonNode item = only(run("expired", "A melting ice sculpture"));
        assertThat(item.path("status").asText()).isEqualTo("expired");
        assertThat(server.stats().jobsCreated("A melting ice sculpture")).isEqualTo(1);
    }

    @Test
    void aJobCancelledAtTheProviderEndsFailedSayingSo() throws Exception {
        assumeTrue(can(Capability.CANCEL));
        server.settings().generationTime(Duration.ofSeconds(20), Duration.ofSeconds(20));
        pipeline.drop("called-off.csv", "prompt\nA parade called off\n");
        Item submitted = await().atMost(Duration.ofSeconds(30)).until(() -> submitted("called-off"),
                Optional::isPresent).orElseThrow();
        // the handle the adapter returned at submit is what reaches the job again (fal's request URLs)
        adapter.cancel(new JobRef(submitted.providerJobId(), submitted.providerJobHandle()));
        JsonNode item = only(awaitManifest("called-off"));
        assertThat(item.path("status").asText()).isEqualTo("failed");
        assertThat(item.path("error").path("code").asText()).isEqualTo("job_cancelled");
        assertThat(server.stats().cancels()).isPositive();
    }

    @Test
    void refusedCredentialsEndARunOnceWithExitCode1() throws Exception {
        Path other = dir.resolve("wrong-key");
        Files.createDirectories(other.resolve("inbox"));
        Files.writeString(other.resolve("inbox/unpaid.csv"), "prompt\nAn unpaid scene\n");
        String accepted = server.settings().requiredApiKey();
        if (face().credentialsFromEnvironment()) {
            // the environment's credentials cannot be swapped for one pipeline: the provider stops taking them
            server.settings().requiredApiKey("another-" + accepted);
        }
        try (Pipeline wrong = Pipeline.start(other, pipelineSettings("wrong-key-9876543210", Map.of("sora.once", "true")))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> wrong.camel().isStopped());
            assertThat(RunControl.exitCode()).isEqualTo(1);
        } finally {
            server.settings().requiredApiKey(accepted);
        }
        assertThat(server.stats().jobsCreated("An unpaid scene")).isZero();
    }

    private Optional<Item> submitted(String batch) throws SQLException {
        return pipeline.items(batch).stream().filter(i -> i.state() == ItemState.SUBMITTED).findFirst();
    }

    static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(Hashing.sha256().digest(bytes));
    }
}

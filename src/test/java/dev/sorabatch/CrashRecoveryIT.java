package dev.sorabatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import software.amazon.awssdk.services.s3.S3Client;

import dev.sorabatch.aws.S3Server;
import dev.sorabatch.aws.TestAws;
import dev.sorabatch.provider.ContractFace;
import dev.sorabatch.simulator.SimulatorApi;
import dev.sorabatch.simulator.SimulatorServer;
import dev.sorabatch.simulator.SimulatorSettings;
import dev.sorabatch.simulator.SimulatorStats;

/**
 * The packaged pipeline is killed with SIGKILL at random moments while it works through a 40-item batch, and
 * restarted each time. The provider (simulator) lives in this JVM and outlives every crash, as a real one would.
 * It runs on the default store URL and on one a user would write (no WRITE_DELAY): on both, every item is created
 * exactly once. Against Runway, which can neither list its tasks nor deduplicate a create, an item whose create was
 * under way at a kill cannot be settled: it ends UNCERTAIN, saying so, and is never created a second time. Against
 * Bedrock, which deduplicates creates on their clientRequestToken, such a create is simply sent again: one job.
 * Bedrock writes into a bucket of an S3 server in this JVM, which outlives the crashes too.
 */
class CrashRecoveryIT {

    private static final int ITEMS = 40;

    private static long started(Path log) throws java.io.IOException {
        if (!Files.exists(log)) {
            return 0;
        }
        try (Stream<String> lines = Files.lines(log)) {
            return lines.filter(l -> l.contains("Watching the source")).count();
        }
    }

    @ParameterizedTest(name = "store URL: {0}, provider: {1}")
    @CsvSource({"default,openai", "jdbc:h2:file:<dir>/jobs,openai", "default,runway", "default,bedrock"})
    void killedRepeatedlyMidBatchItStillFinishesEveryItemWithOneCreateEach(String storeUrl, String provider,
                                                                           @TempDir Path dir) throws Exception {
        boolean bedrock = provider.equals("bedrock");
        // lost answers are what Bedrock's token settles: enough of them that some surely happen
        SimulatorSettings sim = new SimulatorSettings().generationTime(Duration.ofMillis(500), Duration.ofSeconds(2))
                .lostResponseShare(bedrock ? 0.15 : 0.05);
        try (SimulatorServer simulator = new SimulatorServer(0, sim).start();
             S3Server s3 = bedrock ? S3Server.inMemory().start() : null) {
            Path inbox = Files.createDirectories(dir.resolve("data/inbox"));
            Files.writeString(inbox.resolve("crash.csv"), ProviderFaultsTest.prompts(ITEMS, "A kite festival on a beach"));
            Map<String, String> settings = new HashMap<>(provider.equals("openai")
                    ? TestSettings.simulatorAt(simulator.baseUrl(), "test-key")
                    : ContractFace.valueOf(provider.toUpperCase(Locale.ROOT))
                    .settings(simulator.baseUrl(SimulatorApi.of(provider)), "test-key"));
            settings.put("sora.provider", provider);
            Map<String, String> environment = Map.of();
            if (bedrock) {
                try (S3Client client = TestAws.clients(s3, null).s3()) {
                    client.createBucket(b -> b.bucket(ContractFace.BEDROCK_BUCKET));
                }
                sim.s3Endpoint(s3.endpoint());
                settings.put("sora.aws.s3.endpoint", s3.endpoint());
                settings.put("sora.aws.s3.path-style", "true");
                environment = Map.of("AWS_ACCESS_KEY_ID", "test-key", "AWS_SECRET_ACCESS_KEY", "test-secret");
            }
            settings.putAll(Map.ofEntries(
                    Map.entry("sora.input.settle-time", "100"),
                    Map.entry("sora.input.poll-interval", "200"),
                    Map.entry("sora.rate.requests-per-minute", "300"),
                    Map.entry("sora.max-in-flight", "8"),
                    Map.entry("sora.poll.min-interval", "200"),
                    Map.entry("sora.poll.initial-interval", "500"),
                    Map.entry("sora.workers.lease", "5s"),
                    Map.entry("camel.component.http.response-timeout", "3000")));
            if (!storeUrl.equals("default")) {
                settings.put("sora.store.url", storeUrl.replace("<dir>", dir.toAbsolutePath().toString()));
            }
            Path log = Files.createDirectories(Path.of("target"))
                    .resolve("crash-recovery-it-" + (storeUrl.equals("default") ? "default" : "user") + "-" + provider
                            + ".log");
            Files.deleteIfExists(log);
            Random random = new Random(20261125);
            long started = System.nanoTime();
            Path done = dir.resolve("data/done/crash.csv");
            for (int kill = 1; kill <= 5; kill++) {
                long startedBefore = started(log);
                Process child = ChildPipeline.start(dir, settings, environment, log);
                try {
                    await().atMost(Duration.ofSeconds(60)).until(() -> started(log) > startedBefore);
                    Thread.sleep(random.nextInt(3000)); // a random moment of work: the crash point is the variable
                } finally {
                    child.destroyForcibly(); // SIGKILL: no shutdown hook, no clean close
                }
                assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
                assertThat(Files.exists(inbox.resolve("crash.csv")) || Files.exists(done))
                        .as("input file after kill %d", kill).isTrue();
            }
            Map<String, String> finalRun = new HashMap<>(settings);
            finalRun.put("sora.once", "true");
            Process finisher = ChildPipeline.start(dir, finalRun, environment, log);
            try {
                assertThat(finisher.waitFor(3, TimeUnit.MINUTES)).as("final run exits").isTrue();
            } finally {
                finisher.destroyForcibly();
            }
            assertThat(finisher.exitValue()).as("exit code (log: %s)", log).isIn(0, 3);

            Path outbox = dir.resolve("data/outbox");
            try (Stream<Path> batches = Files.list(outbox)) {
                assertThat(batches.toList()).as("one batch, ingested once").hasSize(1);
            }
            JsonNode manifest = Pipeline.JSON.readTree(outbox.resolve("crash/manifest.json").toFile());
            JsonNode counts = manifest.path("counts");
            SimulatorStats stats = simulator.stats();
            ReliabilityFigures.of("kill -9 (single instance, restarted)", "5 kills, 5 % lost answers", 1,
                            "H2 (" + (storeUrl.equals("default") ? "default URL" : "user's URL") + "), " + provider,
                            manifest, 0, ReliabilityFigures.unaccounted(stats, manifest),
                            ReliabilityFigures.duplicates(stats), (System.nanoTime() - started) / 1e9)
                    .write("single-kills-h2-" + (storeUrl.equals("default") ? "default" : "user") + "-" + provider);
            assertThat(counts.path("total").asInt()).isEqualTo(ITEMS);
            if (provider.equals("runway")) {
                assertThat(counts.path("stored").asInt() + counts.path("uncertain").asInt()).as("log: %s", log)
                        .isEqualTo(ITEMS);
                assertThat(stats.jobsPerPrompt().values()).as("never two creates for one item (log: %s)", log)
                        .allMatch(n -> n == 1);
                for (JsonNode item : manifest.path("items")) {
                    if (item.path("status").asText().equals("stored")) {
                        assertThat(stats.jobsCreated(item.path("prompt").asText())).isEqualTo(1);
                    } else {
                        assertThat(item.path("error").path("code").asText()).isEqualTo("create_outcome_unknown");
                    }
                }
                return;
            }
            assertThat(counts.path("stored").asInt()).as("stored (log: %s)", log).isEqualTo(ITEMS);
            assertThat(stats.jobsPerPrompt()).as("prompts created").hasSize(ITEMS);
            assertThat(stats.jobsPerPrompt().values()).as("creates per item (log: %s)", log).allMatch(n -> n == 1);
            assertThat(stats.jobsCreated()).isEqualTo(ITEMS);
            if (bedrock) {
                assertThat(stats.replayedCreates()).as("ambiguous creates sent again with their token (log: %s)", log)
                        .isPositive();
            }
            assertThat(done).exists();
            await().atMost(Duration.ofSeconds(1)).until(() -> !Files.exists(inbox.resolve("crash.csv")));
        }
    }
}

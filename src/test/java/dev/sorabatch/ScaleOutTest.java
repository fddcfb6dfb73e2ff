package dev.sorabatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import dev.sorabatch.aws.S3Server;
import dev.sorabatch.aws.TestAws;
import dev.sorabatch.simulator.SimulatorServer;
import dev.sorabatch.simulator.SimulatorSettings;
import dev.sorabatch.store.Batch;
import dev.sorabatch.store.BatchState;
import dev.sorabatch.store.Item;
import dev.sorabatch.store.ItemState;

/**
 * Two instances (two pipelines in this JVM) on one PostgreSQL store, one input folder and one output: every file is
 * one batch, every item one create, every batch one manifest, whichever instance does each part.
 */
class ScaleOutTest {

    @Test
    void twoInstancesOnOneFolderMakeOneBatchPerFileAndOneManifestPerBatch(@TempDir Path dir) throws Exception {
        PostgresFixture.Db db = PostgresFixture.freshDatabase();
        SimulatorSettings sim = new SimulatorSettings().generationTime(Duration.ofMillis(200), Duration.ofMillis(600));
        try (SimulatorServer simulator = new SimulatorServer(0, sim).start(); LogCapture log = new LogCapture()) {
            Path shared = dir.resolve("a"); // the first instance's folders are the shared ones
            Map<String, String> settings = new HashMap<>(TestSettings.simulatorAt(simulator.baseUrl(), "test-key"));
            settings.putAll(Map.of("sora.store.url", db.url(), "sora.store.user", db.user(),
                    "sora.store.password", db.password(), "sora.workers.lease", "5s"));
            Map<String, String> second = new HashMap<>(settings);
            // two names: in one JVM both instances would otherwise be <pid>@<host>
            settings.put("sora.instance-id", "first");
            second.putAll(Map.of("sora.instance-id", "second", "sora.input", "file:" + shared.resolve("inbox"),
                    "sora.input.done", shared.resolve("done").toString(),
                    "sora.input.error", shared.resolve("error").toString(),
                    "sora.output", "file:" + shared.resolve("outbox")));
            try (Pipeline a = Pipeline.start(shared, settings); Pipeline b = Pipeline.start(dir.resolve("b"), second)) {
                // a long file first, whose rows are all refused (no creates): both instances see it while it is read
                StringBuilder refused = new StringBuilder("id,prompt,seconds\n");
                for (int i = 1; i <= 20_000; i++) {
                    refused.append("r").append(i).append(",A refused shot ").append(i).append(",7\n");
                }
                a.drop("long.csv", refused.toString());
                List<String> files = List.of("north", "south", "east");
                for (String name : files) {
                    a.drop(name + ".csv", ProviderFaultsTest.prompts(12, "A lighthouse " + name));
                }
                for (String name : files) {
                    a.awaitManifest(name, Duration.ofSeconds(90));
                }
                a.awaitManifest("long", Duration.ofSeconds(90));
                await().atMost(Duration.ofSeconds(30)).until(() -> a.store().batches().all().stream()
                        .allMatch(batch -> batch.state() == BatchState.FINALIZED));

                assertThat(a.store().batches().all()).as("one batch per file").extracting(Batch::name)
                        .containsExactlyInAnyOrder("long", "north", "south", "east");
                assertThat(a.items("long")).hasSize(20_000);
                assertThat(log.count("Batch long finished")).isEqualTo(1);
                for (String name : files) {
                    assertThat(a.items(name)).hasSize(12).allMatch(item -> item.state() == ItemState.STORED)
                            .extracting(Item::attempts).containsOnly(1);
                    assertThat(log.count("Batch " + name + " finished")).as("manifests of %s", name).isEqualTo(1);
                    assertThat(shared.resolve("done").resolve(name + ".csv")).exists();
                }
                assertThat(simulator.stats().jobsCreated()).as("one create per item").isEqualTo(36);
                try (var done = Files.list(shared.resolve("done")); var inbox = Files.list(shared.resolve("inbox"))) {
                    assertThat(done).hasSize(4);
                    assertThat(inbox).as("no file left behind").isEmpty();
                }
                assertThat(shared.resolve("error")).doesNotExist();
                // the lister may change hands while the long file is read (its lease is the workers' 5 s): the other
                // then finds the file held and leaves it
                assertThat(log.count("Another instance lists the input")).as("an instance left the listing to the other")
                        .isPositive();
                assertThat(log.lines()).as("no instance failed on the other's work")
                        .noneMatch(l -> l.contains("Cannot rename") || l.contains("Exception"));
            }
        }
    }

    @Test
    void oneInstanceListsTheBucketAndAnotherTakesOverWhenItStops(@TempDir Path dir) throws Exception {
        PostgresFixture.Db db = PostgresFixture.freshDatabase();
        SimulatorSettings sim = new SimulatorSettings().generationTime(Duration.ofMillis(200), Duration.ofMillis(600));
        try (S3Server server = S3Server.inMemory().start(); S3Client s3 = TestAws.clients(server, null).s3();
             SimulatorServer simulator = new SimulatorServer(0, sim).start(); LogCapture log = new LogCapture()) {
            s3.createBucket(b -> b.bucket("prompts"));
            Path outbox = dir.resolve("outbox");
            Map<String, String> settings = new HashMap<>(TestSettings.simulatorAt(simulator.baseUrl(), "test-key"));
            settings.putAll(Map.of("sora.store.url", db.url(), "sora.store.user", db.user(),
                    "sora.store.password", db.password(), "sora.workers.lease", "5s",
                    "sora.input", "s3://prompts/incoming", "sora.input.poll-interval", "200",
                    "sora.aws.s3.endpoint", server.endpoint(), "sora.aws.s3.path-style", "true",
                    "sora.output", "file:" + outbox));
            Map<String, String> first = new HashMap<>(settings);
            first.put("sora.instance-id", "first");
            Map<String, String> second = new HashMap<>(settings);
            second.put("sora.instance-id", "second");
            List<String> names = List.of("harbour", "meadow", "canyon", "glacier", "orchard", "dune");
            try (Pipeline a = Pipeline.start(dir.resolve("a"), first);
                 Pipeline b = Pipeline.start(dir.resolve("b"), second)) {
                for (String name : names) {
                    s3.putObject(r -> r.bucket("prompts").key("incoming/" + name + ".csv"),
                            RequestBody.fromString(ProviderFaultsTest.prompts(3, "A wide shot of a " + name)));
                }
                await().atMost(Duration.ofSeconds(90)).until(() -> a.store().batches().all().stream()
                        .filter(batch -> batch.state() == BatchState.FINALIZED).count() == names.size());
                String lister = a.store().duties().holder("list s3://prompts/incoming").orElseThrow();
                assertThat(log.count("This instance (" + lister + ") lists the input")).isEqualTo(1);
                assertThat(log.count("Another instance lists the input")).as("the other leaves it").isEqualTo(1);
                assertThat(s3.listObjectsV2Paginator(r -> r.bucket("prompts")).contents().stream().map(S3Object::key)).as("each object moved once, never copied twice")
                        .containsExactlyInAnyOrderElementsOf(names.stream().map(n -> "done/" + n + ".csv").toList());

                // the lister stops: the other lists from its next poll on, without waiting for the lease
                Pipeline stopping = lister.equals("first") ? a : b;
                Pipeline other = stopping == a ? b : a;
                stopping.close(); // closed again at the end of the block: stopping twice does nothing
                s3.putObject(r -> r.bucket("prompts").key("incoming/late.csv"),
                        RequestBody.fromString(ProviderFaultsTest.prompts(2, "A late shot")));
                await().atMost(Duration.ofSeconds(60)).until(() -> other.store().batches().all().stream()
                        .anyMatch(batch -> batch.name().equals("late") && batch.state() == BatchState.FINALIZED));
                assertThat(other.store().duties().holder("list s3://prompts/incoming"))
                        .contains(lister.equals("first") ? "second" : "first");
                assertThat(simulator.stats().jobsCreated()).as("one create per item").isEqualTo(names.size() * 3 + 2);
            }
        }
    }
}

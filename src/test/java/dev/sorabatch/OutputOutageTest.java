package dev.sorabatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

import dev.sorabatch.aws.S3Server;
import dev.sorabatch.output.BucketOutputStore;
import dev.sorabatch.aws.TestAws;
import dev.sorabatch.simulator.SimulatorStats;

/**
 * An output bucket that goes away after the start-up check and comes back: uploads are retried with backoff and
 * nothing is lost.
 */
class OutputOutageTest {

    @TempDir
    Path dir;

    @Test
    void videosAreStoredOnceTheOutputComesBack() throws Exception {
        try (S3Server server = S3Server.inMemory().start(); S3Client s3 = TestAws.clients(server, null).s3()) {
            s3.createBucket(b -> b.bucket("late-bucket"));
            try (Pipeline pipeline = Pipeline.start(dir, Map.of(
                    "sora.output", "s3://late-bucket/out",
                    "sora.aws.s3.endpoint", server.endpoint(),
                    "sora.aws.s3.path-style", "true"))) {
                // the start-up check has written to the bucket; now it goes away
                s3.deleteObject(b -> b.bucket("late-bucket").key("out/" + BucketOutputStore.CHECK_OBJECT));
                s3.deleteBucket(b -> b.bucket("late-bucket"));
                long started = System.nanoTime();
                pipeline.drop("outage.csv", "id,prompt\r\na,A storm over the sea\r\nb,A calm after the storm\r\n");

                // no bucket: wait until uploads have failed repeatedly
                await().atMost(Duration.ofSeconds(60)).until(() -> pipeline.simulator().stats().downloads("video") >= 4);
                s3.createBucket(b -> b.bucket("late-bucket"));

                await().atMost(Duration.ofSeconds(60)).until(() -> s3.listObjectsV2(b -> b.bucket("late-bucket")
                        .prefix("out/outage/manifest.json")).keyCount() == 1);
                JsonNode manifest = Pipeline.JSON.readTree(s3.getObjectAsBytes(b -> b.bucket("late-bucket")
                        .key("out/outage/manifest.json")).asByteArray());
                SimulatorStats stats = pipeline.simulator().stats();
                ReliabilityFigures.of("output store outage", "bucket gone until 4 videos could not be stored", 1, "H2",
                                manifest, 0, ReliabilityFigures.unaccounted(stats, manifest),
                                ReliabilityFigures.duplicates(stats), (System.nanoTime() - started) / 1e9)
                        .write("single-output-outage");
                assertThat(manifest.path("counts").path("stored").asInt()).isEqualTo(2);
                assertThat(manifest.path("items")).allSatisfy(item ->
                        assertThat(item.path("attempts").asInt()).as("one create per item").isEqualTo(1));
                assertThat(pipeline.simulator().stats().jobsCreated()).isEqualTo(2);
            }
        }
    }
}

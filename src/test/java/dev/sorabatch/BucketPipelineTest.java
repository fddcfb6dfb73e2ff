package dev.sorabatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import dev.sorabatch.aws.S3Server;
import dev.sorabatch.aws.TestAws;
import dev.sorabatch.output.Hashing;
import dev.sorabatch.simulator.Asset;

/** S3 in, S3 out: a bucket prefix as the input, another bucket as the output, on an S3 server in this JVM. */
class BucketPipelineTest {

    @TempDir
    static Path dir;

    static S3Server server;
    static S3Client s3;
    static Pipeline pipeline;

    @BeforeAll
    static void start() throws Exception {
        server = S3Server.inMemory().start();
        s3 = TestAws.clients(server, null).s3();
        s3.createBucket(b -> b.bucket("prompts"));
        s3.createBucket(b -> b.bucket("videos"));
        pipeline = Pipeline.start(dir, Map.of(
                "sora.input", "s3://prompts/incoming",
                "sora.output", "s3://videos/generated",
                "sora.aws.s3.endpoint", server.endpoint(),
                "sora.aws.s3.path-style", "true"));
    }

    @AfterAll
    static void stop() throws Exception {
        pipeline.close();
        s3.close();
        server.close();
    }

    @Test
    void promptObjectBecomesVideosAndManifestInTheOutputBucket() throws Exception {
        String key = "incoming/spring promo été.csv";
        put(key, "id,prompt,seconds\r\nfox,A fox at dawn,4\r\nowl,An owl at night,8\r\nbad,,4\r\n");

        JsonNode manifest = awaitManifestOf("s3://prompts/" + key);
        assertThat(manifest.path("counts").path("stored").asInt()).isEqualTo(2);
        assertThat(manifest.path("counts").path("rejected").asInt()).isEqualTo(1);
        assertThat(manifest.path("source").asText()).isEqualTo("s3://prompts/" + key);

        String expectedSha = pipeline.simulator().sha256(Asset.VIDEO);
        for (JsonNode item : manifest.path("items")) {
            if (item.path("status").asText().equals("stored")) {
                byte[] video = get("videos", "generated/" + manifest.path("batch_id").asText() + "/" + item.path("video").asText());
                assertThat(sha256(video)).isEqualTo(expectedSha).isEqualTo(item.path("sha256").asText());
            }
        }
        assertThat(keys("prompts", "")).contains("done/spring promo été.csv").doesNotContain(key);
    }

    @Test
    void manifestJsonIsWrittenLastSoConsumersCanTriggerOnIt() throws Exception {
        put("incoming/ordering.jsonl", "{\"id\":\"a\",\"prompt\":\"A red kite\"}\n{\"id\":\"b\",\"prompt\":\"A blue kite\"}\n");
        // watch the batch folder until manifest.json appears: everything it names must already be there
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> keys("videos", "generated/ordering/").contains("generated/ordering/manifest.json"));
        Set<String> present = keys("videos", "generated/ordering/");
        JsonNode manifest = Pipeline.JSON.readTree(get("videos", "generated/ordering/manifest.json"));
        assertThat(present).contains("generated/ordering/manifest.csv", "generated/ordering/index.html");
        String gallery = new String(get("videos", "generated/ordering/index.html"), StandardCharsets.UTF_8);
        for (JsonNode item : manifest.path("items")) {
            assertThat(present).contains("generated/ordering/" + item.path("video").asText(),
                    "generated/ordering/" + item.path("thumbnail").asText());
            assertThat(gallery).as("the gallery links to the video beside it").contains("src=\"./" + item.path("video").asText());
        }
    }

    @Test
    void unreadableObjectMovesToTheErrorPrefixWithAReport() throws Exception {
        byte[] noise = new byte[4096];
        new Random(7).nextBytes(noise);
        s3.putObject(b -> b.bucket("prompts").key("incoming/noise.csv"), RequestBody.fromBytes(noise));
        put("incoming/after-noise.json", "[{\"id\":\"x\",\"prompt\":\"A quiet harbour\"}]");

        await().atMost(Duration.ofSeconds(30)).until(() -> keys("prompts", "error/").contains("error/noise.csv.error.json"));
        JsonNode report = Pipeline.JSON.readTree(get("prompts", "error/noise.csv.error.json"));
        assertThat(report.path("file").asText()).isEqualTo("s3://prompts/incoming/noise.csv");
        assertThat(report.path("error").asText()).isNotBlank();
        assertThat(keys("prompts", "")).contains("error/noise.csv").doesNotContain("incoming/noise.csv");
        assertThat(awaitManifest("after-noise", "generated/").path("counts").path("stored").asInt()).isEqualTo(1);
    }

    @Test
    void anObjectAlreadyCommittedIsMovedWithoutASecondBatch() throws Exception {
        String content = "[{\"id\":\"once\",\"prompt\":\"A paper boat\"}]";
        put("incoming/once.json", content);
        awaitManifest("once", "generated/");
        int jobs = pipeline.simulator().stats().jobsPerPrompt().getOrDefault("A paper boat", 0);

        // the same object (same key, same ETag) seen again, as after a crash between commit and move
        put("incoming/once.json", content);
        await().atMost(Duration.ofSeconds(30)).until(() -> !keys("prompts", "incoming/").contains("incoming/once.json"));
        assertThat(pipeline.store().batches().find("once-2")).isEmpty();
        assertThat(pipeline.simulator().stats().jobsPerPrompt().get("A paper boat")).isEqualTo(jobs).isEqualTo(1);
    }

    @Test
    void aSecondObjectOfTheSameNameIsKeptBesideTheFirstInDone() throws Exception {
        put("incoming/twice.csv", "prompt\nA first lantern\n");
        awaitManifest("twice", "generated/");
        put("incoming/twice.csv", "prompt\nA second lantern\n");
        awaitManifest("twice-2", "generated/");

        await().atMost(Duration.ofSeconds(30))
                .until(() -> keys("prompts", "done/").containsAll(Set.of("done/twice.csv", "done/twice-2.csv")));
        assertThat(new String(get("prompts", "done/twice.csv"), StandardCharsets.UTF_8)).contains("first");
        assertThat(new String(get("prompts", "done/twice-2.csv"), StandardCharsets.UTF_8)).contains("second");
    }

    @Test
    void inputReferencesAreReadFromTheInputBucket() throws Exception {
        byte[] png = getClass().getResourceAsStream("/simulator/thumbnail.webp").readAllBytes();
        s3.putObject(b -> b.bucket("prompts").key("incoming/images/first frame.webp"), RequestBody.fromBytes(png));
        put("incoming/with-image.json", """
                [{"id":"framed","prompt":"A lighthouse from its first frame","input_reference":"images/first frame.webp"},
                 {"id":"missing","prompt":"A moon from a missing frame","input_reference":"images/nope.webp"},
                 {"id":"escape","prompt":"A file outside the store","input_reference":"../secret.webp"}]""");

        JsonNode manifest = awaitManifest("with-image", "generated/");
        Map<String, JsonNode> items = new java.util.HashMap<>();
        manifest.path("items").forEach(i -> items.put(i.path("id").asText(), i));
        assertThat(items.get("framed").path("status").asText()).isEqualTo("stored");
        assertThat(items.get("missing").path("status").asText()).isEqualTo("failed");
        assertThat(items.get("missing").path("error").path("code").asText()).isEqualTo("input_reference_unreadable");
        assertThat(items.get("escape").path("status").asText()).isEqualTo("rejected");
        assertThat(items.get("escape").path("error").path("message").asText()).contains("input_reference");
        assertThat(keys("prompts", "incoming/")).contains("incoming/images/first frame.webp"); // images stay put
    }

    private static String sha256(byte[] bytes) {
        java.security.MessageDigest digest = Hashing.sha256();
        digest.update(bytes);
        return Hashing.hex(digest);
    }

    private static void put(String key, String content) {
        s3.putObject(b -> b.bucket("prompts").key(key).contentType("text/plain"),
                RequestBody.fromString(content, StandardCharsets.UTF_8));
    }

    private static byte[] get(String bucket, String key) {
        return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    }

    static Set<String> keys(String bucket, String prefix) {
        return s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream().map(S3Object::key)
                .collect(Collectors.toSet());
    }

    private static JsonNode awaitManifest(String batch, String outputPrefix) throws Exception {
        String key = outputPrefix + batch + "/manifest.json";
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> keys("videos", outputPrefix + batch + "/").contains(key));
        return Pipeline.JSON.readTree(get("videos", key));
    }

    /** The manifest whose source is the given object, whatever its batch is called. */
    private static JsonNode awaitManifestOf(String source) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            for (String key : keys("videos", "generated/")) {
                if (key.endsWith("/manifest.json")) {
                    JsonNode manifest = Pipeline.JSON.readTree(get("videos", key));
                    if (manifest.path("source").asText().equals(source)) {
                        return manifest;
                    }
                }
            }
            return null;
        }, m -> m != null);
    }
}

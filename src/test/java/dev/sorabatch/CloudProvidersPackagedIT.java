package dev.sorabatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.s3.S3Client;

import dev.sorabatch.aws.S3Server;
import dev.sorabatch.aws.TestAws;

/**
 * The packaged jar with {@code sora.provider=simulator-<vertex|bedrock|pixazo>} and nothing else of the provider's:
 * each makes what it needs itself (Vertex's credentials file; Bedrock writes into a bucket of the S3 store the
 * pipeline names) and stores every item of one prompt file that names no provider-specific length or size, as
 * every other provider does.
 */
class CloudProvidersPackagedIT {

    /** Rows in the one vocabulary: each provider's catalogue settles model, length and frame. */
    private static final String PROMPTS = """
            id,prompt,style,camera,takes
            harbour,"A fishing harbour at dawn, gulls circling over the boats",cinematic,slow aerial pull-back,1
            rain,"A neon-lit street in the rain, people with umbrellas crossing",handheld,tracking shot,2
            kitchen,A baker kneads dough on a floured wooden table,documentary,close-up,1
            """;
    private static final int VIDEOS = 4;
    /** Short jobs, quick checks, pacing that does not bind; posters are another test's (a decoder JVM each). */
    private static final Map<String, String> FAST = Map.of(
            "sora.simulator.generation-min", "100", "sora.simulator.generation-max", "300",
            "sora.poll.initial-interval", "200", "sora.poll.min-interval", "100",
            "sora.input.settle-time", "100", "sora.input.poll-interval", "100",
            "sora.rate.requests-per-minute", "600", "sora.rate.burst", "10", "sora.output.thumbnails", "false");

    private static S3Server s3;

    @BeforeAll
    static void startS3() throws Exception {
        s3 = S3Server.inMemory().start();
        try (S3Client client = TestAws.clients(s3, null).s3()) {
            client.createBucket(b -> b.bucket("bedrock-out"));
        }
    }

    @AfterAll
    static void stopS3() {
        s3.close();
    }

    @ParameterizedTest(name = "sora.provider={0}")
    @ValueSource(strings = {"simulator-vertex", "simulator-bedrock", "simulator-pixazo"})
    void everyItemOfThePromptFileIsStoredWithAManifest(String provider, @TempDir Path dir) throws Exception {
        Path inbox = Files.createDirectories(dir.resolve("data/inbox"));
        Files.writeString(inbox.resolve("prompts.csv"), PROMPTS);
        Map<String, String> settings = new HashMap<>(FAST);
        settings.putAll(Map.of("sora.provider", provider, "sora.once", "true"));
        Map<String, String> environment = Map.of();
        if (provider.equals("simulator-bedrock")) {
            settings.putAll(Map.of("sora.bedrock.output-uri", "s3://bedrock-out/" + dir.getFileName(),
                    "sora.aws.s3.endpoint", s3.endpoint(), "sora.aws.s3.path-style", "true"));
            environment = Map.of("AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test-secret");
        }
        Path log = Files.createDirectories(Path.of("target")).resolve("cloud-providers-it-" + provider + ".log");
        Files.deleteIfExists(log);

        Process run = ChildPipeline.start(dir, settings, environment, log);

        assertThat(run.waitFor(2, TimeUnit.MINUTES)).as("exits (log: %s)", log).isTrue();
        assertThat(run.exitValue()).as(Files.readString(log)).isZero();
        Path batch = dir.resolve("data/outbox/prompts");
        JsonNode manifest = Pipeline.JSON.readTree(batch.resolve("manifest.json").toFile());
        String name = provider.substring("simulator-".length());
        assertThat(manifest.path("counts").path("total").asInt()).isEqualTo(VIDEOS);
        assertThat(manifest.path("counts").path("stored").asInt()).isEqualTo(VIDEOS);
        for (JsonNode item : manifest.path("items")) {
            assertThat(item.path("provider").asText()).isEqualTo(name);
            Path video = batch.resolve(item.path("video").asText());
            assertThat(Files.size(video)).isEqualTo(item.path("bytes").asLong()).isPositive();
            assertThat(PipelineContract.sha256(Files.readAllBytes(video))).isEqualTo(item.path("sha256").asText());
        }
        try (Stream<Path> files = Files.walk(dir)) {
            assertThat(files.map(Path::getFileName).map(Path::toString)).as("nothing made in the user's folders")
                    .noneMatch(file -> file.endsWith("credentials.json"));
        }
    }
}

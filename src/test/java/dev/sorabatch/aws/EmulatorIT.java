package dev.sorabatch.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Event;
import software.amazon.awssdk.services.s3.model.FilterRule;
import software.amazon.awssdk.services.s3.model.FilterRuleName;
import software.amazon.awssdk.services.s3.model.QueueConfiguration;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import dev.sorabatch.ChildPipeline;
import dev.sorabatch.simulator.Asset;
import dev.sorabatch.simulator.SimulatorServer;

/**
 * The packaged pipeline against an AWS emulator, wired as docker-compose.yml wires it: prompt files uploaded to
 * the input bucket reach the pipeline only through the bucket's own event notifications to the queue, and the
 * videos and manifests land in the output bucket. Skipped (not failed) where no Docker engine is reachable.
 */
@Testcontainers(disabledWithoutDocker = true)
class EmulatorIT {

    /** The emulator image and tag of docker-compose.yml. */
    static final DockerImageName EMULATOR = DockerImageName.parse("floci/floci:2.1.0");
    static final int PORT = 4566;

    static final String REGION = "us-east-1";
    static final String INPUT_BUCKET = "sora-input";
    static final String OUTPUT_BUCKET = "sora-output";
    static final String QUEUE = "sora-events";
    static final String DLQ = "sora-events-dlq";
    static final String PREFIX = "incoming/";

    static final ObjectMapper JSON = new ObjectMapper();

    @Container
    static final GenericContainer<?> EMULATOR_CONTAINER = new GenericContainer<>(EMULATOR)
            .withExposedPorts(PORT)
            .withEnv("FLOCI_DEFAULT_REGION", REGION)
            .withEnv("FLOCI_STORAGE_MODE", "memory")
            .withEnv("QUARKUS_HTTP_HOST", "0.0.0.0")
            .withEnv("FLOCI_SECURITY_ALLOW_UNSAFE_NETWORK_EXPOSURE", "true")
            .waitingFor(Wait.forHttp("/_floci/health").forPort(PORT).withStartupTimeout(Duration.ofSeconds(90)));

    static String endpoint;
    static S3Client s3;
    static SqsClient sqs;
    static String queueUrl;

    @BeforeAll
    static void createBucketsQueuesAndNotification() {
        // Any non-empty credentials do; the clients take them from the default chain, as the pipeline does.
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
        endpoint = "http://" + EMULATOR_CONTAINER.getHost() + ":" + EMULATOR_CONTAINER.getMappedPort(PORT);
        AwsClients clients = new AwsClients(REGION, endpoint, endpoint, true);
        s3 = clients.s3();
        sqs = clients.sqs();

        s3.createBucket(b -> b.bucket(INPUT_BUCKET));
        s3.createBucket(b -> b.bucket(OUTPUT_BUCKET));

        String dlqUrl = sqs.createQueue(b -> b.queueName(DLQ)).queueUrl();
        String dlqArn = arn(dlqUrl);
        queueUrl = sqs.createQueue(b -> b.queueName(QUEUE)).queueUrl();
        String queueArn = arn(queueUrl);
        String policy = """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},\
                "Action":"sqs:SendMessage","Resource":"%s","Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:s3:::%s"}}}]}\
                """.formatted(queueArn, INPUT_BUCKET);
        sqs.setQueueAttributes(b -> b.queueUrl(queueUrl).attributes(Map.of(
                QueueAttributeName.VISIBILITY_TIMEOUT, "60",
                QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"10\"}",
                QueueAttributeName.POLICY, policy)));

        // One rule per suffix: S3 takes a single prefix and a single suffix per rule.
        List<QueueConfiguration> rules = List.of("csv", "json", "jsonl").stream()
                .map(suffix -> QueueConfiguration.builder()
                        .id("sora-" + suffix)
                        .queueArn(queueArn)
                        .events(Event.S3_OBJECT_CREATED)
                        .filter(f -> f.key(k -> k.filterRules(
                                FilterRule.builder().name(FilterRuleName.PREFIX).value(PREFIX).build(),
                                FilterRule.builder().name(FilterRuleName.SUFFIX).value("." + suffix).build())))
                        .build())
                .toList();
        s3.putBucketNotificationConfiguration(b -> b.bucket(INPUT_BUCKET)
                .notificationConfiguration(n -> n.queueConfigurations(rules)));
    }

    @AfterAll
    static void closeClients() {
        if (s3 != null) {
            s3.close();
        }
        if (sqs != null) {
            sqs.close();
        }
    }

    static String arn(String queueUrl) {
        return sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    @Test
    void promptFilesUploadedToTheBucketComeOutAsVideosAndManifestsInTheOutputBucket(@TempDir Path dir) throws Exception {
        Path log = Files.createDirectories(Path.of("target")).resolve("emulator-it.log");
        Files.deleteIfExists(log);
        Map<String, String> settings = Map.ofEntries(
                Map.entry("sora.provider", "simulator"),
                Map.entry("sora.input", "sqs://" + QUEUE),
                Map.entry("sora.input.sqs.dead-letter-queue", DLQ),
                Map.entry("sora.input.poll-interval", "500"),
                Map.entry("sora.output", "s3://" + OUTPUT_BUCKET + "/out"),
                Map.entry("sora.aws.region", REGION),
                Map.entry("sora.aws.s3.endpoint", endpoint),
                Map.entry("sora.aws.sqs.endpoint", endpoint),
                Map.entry("sora.aws.s3.path-style", "true"),
                Map.entry("aws.accessKeyId", "test"),
                Map.entry("aws.secretAccessKey", "test"),
                Map.entry("sora.once", "false"),
                Map.entry("sora.simulator.generation-min", "300"),
                Map.entry("sora.simulator.generation-max", "900"),
                Map.entry("sora.poll.min-interval", "100"),
                Map.entry("sora.poll.initial-interval", "300"),
                Map.entry("sora.rate.requests-per-minute", "600"),
                Map.entry("sora.progress.interval", "2s"));
        Process pipeline = ChildPipeline.start(dir, settings, log);
        try {
            // Neither announced by the bucket (wrong suffix, outside the prefix): never a batch.
            put(PREFIX + "notes.txt", "not a prompt file");
            put("elsewhere/ignored.csv", "id,prompt\r\nx,A prompt outside the watched prefix\r\n");
            put(PREFIX + "harbour.csv", """
                    id,prompt\r
                    dawn,"A fishing harbour at dawn, gulls circling over the boats"\r
                    rain,A neon-lit street in the rain\r
                    bakery,A baker kneads dough on a floured wooden table\r
                    """);
            put(PREFIX + "night.jsonl", """
                    {"id":"stars","prompt":"A desert under a sky full of stars"}
                    {"id":"tram","prompt":"A tram crossing a bridge at night"}
                    """);

            await("two manifests in s3://" + OUTPUT_BUCKET + "/out/ (log: " + log + ")")
                    .atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1))
                    .failFast("the pipeline exited (log: " + log + ")", () -> !pipeline.isAlive())
                    .until(() -> manifestKeys().size() >= 2);
            // no third batch: the objects that were not announced must not turn up while the pipeline runs on
            await("still two manifests").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                    .until(() -> manifestKeys().size() == 2);
            List<String> manifests = manifestKeys();
            assertThat(manifests).as("one batch per announced object").hasSize(2);

            String servedSha = new SimulatorServer(0).sha256(Asset.VIDEO);
            int stored = 0;
            for (String manifestKey : manifests) {
                String batchPrefix = manifestKey.substring(0, manifestKey.length() - "manifest.json".length());
                JsonNode manifest = JSON.readTree(get(OUTPUT_BUCKET, manifestKey));
                int total = manifest.path("counts").path("total").asInt();
                assertThat(total).as("rows in %s", manifestKey).isIn(2, 3);
                assertThat(manifest.path("counts").path("stored").asInt()).as("stored in %s", manifestKey).isEqualTo(total);
                for (JsonNode item : manifest.path("items")) {
                    assertThat(item.path("status").asText()).isEqualTo("stored");
                    byte[] video = get(OUTPUT_BUCKET, batchPrefix + item.path("video").asText());
                    assertThat(sha256(video)).as("video of %s", item.path("id").asText()).isEqualTo(servedSha);
                    assertThat(item.path("sha256").asText()).isEqualTo(servedSha);
                    assertThat(exists(OUTPUT_BUCKET, batchPrefix + item.path("thumbnail").asText())).isTrue();
                    stored++;
                }
                assertThat(exists(OUTPUT_BUCKET, batchPrefix + "manifest.csv")).as("manifest.csv beside %s", manifestKey).isTrue();
            }
            assertThat(stored).isEqualTo(5);

            // Queue input leaves the objects where they are, and every message is settled (deleted, or set aside
            // in the dead-letter queue), so nothing comes back after its visibility timeout.
            assertThat(exists(INPUT_BUCKET, PREFIX + "harbour.csv")).isTrue();
            assertThat(exists(INPUT_BUCKET, PREFIX + "night.jsonl")).isTrue();
            await("queue drained").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> messagesInQueue() == 0);
        } finally {
            pipeline.destroy();
            if (!pipeline.waitFor(30, TimeUnit.SECONDS)) {
                pipeline.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    static void put(String key, String content) {
        s3.putObject(b -> b.bucket(INPUT_BUCKET).key(key), RequestBody.fromString(content, StandardCharsets.UTF_8));
    }

    static byte[] get(String bucket, String key) {
        return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    }

    static boolean exists(String bucket, String key) {
        try {
            s3.headObject(b -> b.bucket(bucket).key(key));
            return true;
        } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException e) {
            return false;
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    static List<String> manifestKeys() {
        return s3.listObjectsV2Paginator(b -> b.bucket(OUTPUT_BUCKET).prefix("out/")).contents().stream()
                .map(S3Object::key)
                .filter(k -> k.endsWith("/manifest.json"))
                .sorted()
                .toList();
    }

    static int messagesInQueue() {
        Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Integer.parseInt(a.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0"))
                + Integer.parseInt(a.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "0"));
    }

    static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}

package dev.sorabatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import dev.sorabatch.aws.S3Server;
import dev.sorabatch.aws.SqsServer;
import dev.sorabatch.aws.TestAws;

/** S3 event notifications on an SQS queue drive ingestion; S3 and SQS servers run in this JVM. */
class EventQueuePipelineTest {

    @TempDir
    static Path dir;

    static S3Server s3Server;
    static SqsServer sqsServer;
    static S3Client s3;
    static SqsClient sqs;
    static String queue;
    static String deadLetters;
    static Pipeline pipeline;

    @BeforeAll
    static void start() throws Exception {
        s3Server = S3Server.inMemory().start();
        sqsServer = new SqsServer().start();
        s3 = TestAws.clients(s3Server, sqsServer).s3();
        sqs = TestAws.clients(s3Server, sqsServer).sqs();
        s3.createBucket(b -> b.bucket("drops"));
        queue = sqs.createQueue(b -> b.queueName("prompt-events")).queueUrl();
        deadLetters = sqs.createQueue(b -> b.queueName("prompt-events-dlq")).queueUrl();
        pipeline = Pipeline.start(dir, Map.of(
                "sora.input", "sqs://prompt-events",
                "sora.input.sqs.dead-letter-queue", "prompt-events-dlq",
                "sora.input.sqs.max-receives", "2",
                "sora.aws.s3.endpoint", s3Server.endpoint(),
                "sora.aws.sqs.endpoint", sqsServer.endpoint(),
                "sora.aws.s3.path-style", "true"));
    }

    @AfterAll
    static void stop() throws Exception {
        pipeline.close();
        s3.close();
        sqs.close();
        sqsServer.close();
        s3Server.close();
    }

    @Test
    void anEventNamingAPromptFileMakesABatchAndIsDeleted() throws Exception {
        String key = "drops/summer campaign ü+1.csv";
        putObject(key, "id,prompt\r\nwave,A wave breaking\r\nsand,Sand in the wind\r\n");
        send(notification("drops", key));

        JsonNode manifest = pipeline.awaitManifest("summer_campaign_1", Duration.ofSeconds(60));
        assertThat(manifest.path("source").asText()).isEqualTo("s3://drops/" + key);
        assertThat(manifest.path("counts").path("stored").asInt()).isEqualTo(2);
        awaitQueueEmpty(queue);
        assertThat(keysOf("drops")).contains(key); // left in place: the notification owns the bucket
    }

    @Test
    void theSameEventTwiceMakesOneBatch() throws Exception {
        putObject("drops/twice.json", "[{\"id\":\"t\",\"prompt\":\"A tram in the fog\"}]");
        send(notification("drops", "drops/twice.json"));
        send(notification("drops", "drops/twice.json"));

        pipeline.awaitManifest("twice", Duration.ofSeconds(60));
        awaitQueueEmpty(queue);
        assertThat(pipeline.store().batches().find("twice-2")).isEmpty();
        assertThat(pipeline.simulator().stats().jobsPerPrompt().get("A tram in the fog")).isEqualTo(1);
    }

    @Test
    void poisonMessagesGoToTheDeadLetterQueueWithTheirReason() {
        send("this is not JSON");
        send(notification("drops", "drops/never-uploaded.csv"));
        send(notification("no-such-bucket", "x.csv"));
        send("{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\",\"Bucket\":\"drops\"}");

        List<Message> dead = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            dead.addAll(sqs.receiveMessage(b -> b.queueUrl(deadLetters).maxNumberOfMessages(10).waitTimeSeconds(1)
                    .messageAttributeNames("All")).messages());
            return dead.size() >= 3;
        });
        awaitQueueEmpty(queue);
        assertThat(dead).extracting(Message::body).containsExactlyInAnyOrder("this is not JSON",
                notification("drops", "drops/never-uploaded.csv"), notification("no-such-bucket", "x.csv"));
        assertThat(dead).allSatisfy(m -> assertThat(m.messageAttributes().get("sora-error").stringValue()).isNotBlank());
        assertThat(dead.stream().filter(m -> m.body().equals("this is not JSON")).findFirst().orElseThrow()
                .messageAttributes().get("sora-error").stringValue()).startsWith("not JSON");
    }

    @Test
    void anUnreadableFileGetsAnErrorReportBesideItInTheBucket() throws Exception {
        putObject("drops/broken.json", "{\"requests\": [ {\"prompt\": ");
        send(notification("drops", "drops/broken.json"));

        await().atMost(Duration.ofSeconds(30)).until(() -> keysOf("drops").contains("error/drops/broken.json.error.json"));
        JsonNode report = Pipeline.JSON.readTree(s3.getObjectAsBytes(b -> b.bucket("drops")
                .key("error/drops/broken.json.error.json")).asByteArray());
        assertThat(report.path("file").asText()).isEqualTo("s3://drops/drops/broken.json");
        awaitQueueEmpty(queue);
        assertThat(Files.exists(pipeline.batchDir("broken"))).isFalse();
    }

    /** An S3 event notification as S3 sends it: the key URL-encoded, spaces as '+'. */
    static String notification(String bucket, String key) {
        return """
                {"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","awsRegion":"us-east-1",\
                "eventName":"ObjectCreated:Put","s3":{"s3SchemaVersion":"1.0","bucket":{"name":"%s"},\
                "object":{"key":"%s","size":100}}}]}""".formatted(bucket, URLEncoder.encode(key, StandardCharsets.UTF_8));
    }

    private static void putObject(String key, String content) {
        s3.putObject(b -> b.bucket("drops").key(key), RequestBody.fromString(content, StandardCharsets.UTF_8));
    }

    private static void send(String body) {
        sqs.sendMessage(b -> b.queueUrl(queue).messageBody(body));
    }

    private static List<String> keysOf(String bucket) {
        return s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream().map(o -> o.key()).toList();
    }

    private static void awaitQueueEmpty(String url) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
            return a.values().stream().allMatch("0"::equals);
        });
    }
}

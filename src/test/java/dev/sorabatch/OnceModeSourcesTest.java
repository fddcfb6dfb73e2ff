package dev.sorabatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

import dev.sorabatch.aws.S3Server;
import dev.sorabatch.aws.SqsServer;
import dev.sorabatch.aws.TestAws;
import dev.sorabatch.lifecycle.RunControl;

/** sora.once=true with a bucket or a queue as the input: take what is there, finish it, stop with exit code 0. */
class OnceModeSourcesTest {

    @TempDir
    Path dir;

    @Test
    void onceWithABucketDrainsThePrefixAndStops() throws Exception {
        try (S3Server server = S3Server.inMemory().start(); S3Client s3 = TestAws.clients(server, null).s3()) {
            s3.createBucket(b -> b.bucket("inbox"));
            for (int i = 1; i <= 7; i++) { // more than the objects taken per poll
                String key = "batch-" + i + ".csv";
                s3.putObject(b -> b.bucket("inbox").key(key), RequestBody.fromString("id,prompt\r\na,A kite number " + key + "\r\n",
                        StandardCharsets.UTF_8));
            }
            try (Pipeline pipeline = Pipeline.start(dir, Map.of("sora.once", "true", "sora.input", "s3://inbox",
                    "sora.aws.s3.endpoint", server.endpoint(), "sora.aws.s3.path-style", "true"))) {
                await().atMost(Duration.ofSeconds(60)).until(() -> pipeline.camel().isStopped());
                assertThat(RunControl.exitCode()).isEqualTo(RunControl.EXIT_OK);
                for (int i = 1; i <= 7; i++) {
                    assertThat(pipeline.batchDir("batch-" + i).resolve("manifest.json")).exists();
                }
                assertThat(s3.listObjectsV2(b -> b.bucket("inbox").prefix("done/")).keyCount()).isEqualTo(7);
            }
        }
    }

    @Test
    void onceWithAQueueTakesTheWaitingEventsAndStops() throws Exception {
        try (S3Server s3Server = S3Server.inMemory().start(); SqsServer sqsServer = new SqsServer().start();
             S3Client s3 = TestAws.clients(s3Server, sqsServer).s3(); SqsClient sqs = TestAws.clients(s3Server, sqsServer).sqs()) {
            s3.createBucket(b -> b.bucket("inbox"));
            String queue = sqs.createQueue(b -> b.queueName("events")).queueUrl();
            s3.putObject(b -> b.bucket("inbox").key("queued.csv"), RequestBody.fromString("id,prompt\r\nq,A queued kite\r\n"));
            sqs.sendMessage(b -> b.queueUrl(queue).messageBody(EventQueuePipelineTest.notification("inbox", "queued.csv")));

            try (Pipeline pipeline = Pipeline.start(dir, Map.of("sora.once", "true", "sora.input", "sqs://events",
                    "sora.aws.s3.endpoint", s3Server.endpoint(), "sora.aws.sqs.endpoint", sqsServer.endpoint(),
                    "sora.aws.s3.path-style", "true"))) {
                await().atMost(Duration.ofSeconds(60)).until(() -> pipeline.camel().isStopped());
                assertThat(RunControl.exitCode()).isEqualTo(RunControl.EXIT_OK);
                assertThat(pipeline.batchDir("queued").resolve("manifest.json")).exists();
            }
        }
    }
}

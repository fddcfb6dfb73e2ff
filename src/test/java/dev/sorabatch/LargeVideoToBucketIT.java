package dev.sorabatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

import dev.sorabatch.aws.S3Server;
import dev.sorabatch.aws.TestAws;
import dev.sorabatch.output.Hashing;

/**
 * A 300 MB video reaches the output bucket from a pipeline whose heap is capped at 128 MB: the download is streamed
 * to S3 in parts, never held whole.
 */
class LargeVideoToBucketIT {

    static final long VIDEO_BYTES = 300L * 1024 * 1024;

    @Test
    void aVideoLargerThanTheHeapIsStreamedToTheBucketInParts(@TempDir Path dir) throws Exception {
        try (S3Server server = S3Server.onDisk(dir.resolve("s3")).start(); S3Client s3 = TestAws.clients(server, null).s3()) {
            s3.createBucket(b -> b.bucket("videos"));
            Path inbox = Files.createDirectories(dir.resolve("data/inbox"));
            Files.writeString(inbox.resolve("big.csv"), "id,prompt\r\nlong-take,A very long take\r\n");
            Path log = dir.resolve("large-video.log");

            Process run = ChildPipeline.start(dir, "128m", Map.of(
                    "sora.once", "true",
                    "sora.output", "s3://videos/out",
                    "sora.output.s3.part-size-mb", "8",
                    "sora.aws.s3.endpoint", server.endpoint(),
                    "sora.aws.s3.path-style", "true",
                    "aws.accessKeyId", System.getProperty("aws.accessKeyId"),
                    "aws.secretAccessKey", System.getProperty("aws.secretAccessKey"),
                    "sora.simulator.video-bytes", Long.toString(VIDEO_BYTES),
                    "sora.simulator.generation-min", "200",
                    "sora.simulator.generation-max", "400"), log);

            assertThat(run.waitFor(5, TimeUnit.MINUTES)).as("finished in time").isTrue();
            assertThat(run.exitValue()).as(Files.readString(log)).isZero();
            assertThat(Files.readString(log)).doesNotContain("OutOfMemoryError");

            JsonNode item = Pipeline.JSON.readTree(s3.getObjectAsBytes(b -> b.bucket("videos").key("out/big/manifest.json"))
                    .asByteArray()).path("items").get(0);
            String key = "out/big/" + item.path("video").asText();
            HeadObjectResponse head = s3.headObject(b -> b.bucket("videos").key(key));
            assertThat(head.contentLength()).isEqualTo(VIDEO_BYTES);
            assertThat(head.contentType()).isEqualTo("video/mp4");
            assertThat(item.path("bytes").asLong()).isEqualTo(VIDEO_BYTES);
            DigestInputStream stored = new DigestInputStream(s3.getObject(b -> b.bucket("videos").key(key)), Hashing.sha256());
            try (InputStream in = stored) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            }
            assertThat(Hashing.hex(stored.getMessageDigest())).isEqualTo(item.path("sha256").asText());
        }
    }
}

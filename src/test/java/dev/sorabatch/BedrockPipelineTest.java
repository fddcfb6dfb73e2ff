package dev.sorabatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

import dev.sorabatch.aws.S3Server;
import dev.sorabatch.aws.TestAws;
import dev.sorabatch.provider.ContractFace;
import dev.sorabatch.simulator.Asset;

/**
 * Bedrock writes each video into the user's bucket, here on an S3 server in this JVM that is also the output
 * store: the fetch step copies it from Bedrock's bucket into the batch layout server-side, reads it back for its
 * hash and QA, and (delete-after-fetch) removes Bedrock's copy.
 */
class BedrockPipelineTest extends PipelineContract {

    private static final String OUTPUT = "batch-out";
    private S3Server s3Server;
    private S3Client s3;

    @Override
    ContractFace face() {
        return ContractFace.BEDROCK;
    }

    @Override
    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        s3Server = S3Server.inMemory().start();
        s3 = TestAws.clients(s3Server, null).s3();
        s3.createBucket(b -> b.bucket(ContractFace.BEDROCK_BUCKET));
        s3.createBucket(b -> b.bucket(OUTPUT));
        super.start(dir);
        server.settings().s3Endpoint(s3Server.endpoint());
    }

    @Override
    @AfterAll
    void stop() throws Exception {
        super.stop();
        s3.close();
        s3Server.close();
    }

    @Override
    Map<String, String> moreSettings() {
        return Map.of("sora.output", "s3://" + OUTPUT + "/generated", "sora.aws.s3.endpoint", s3Server.endpoint(),
                "sora.aws.s3.path-style", "true", "sora.bedrock.delete-after-fetch", "true");
    }

    @Override
    byte[] output(String batch, String relativePath) throws IOException {
        try {
            return s3.getObjectAsBytes(b -> b.bucket(OUTPUT).key("generated/" + batch + "/" + relativePath)).asByteArray();
        } catch (NoSuchKeyException e) {
            return null;
        }
    }

    @Test
    void theVideoBedrockWroteIsCopiedIntoTheBatchAndBedrocksCopyRemovedOnceStored() throws Exception {
        int written = server.stats().downloads("video");
        JsonNode item = only(run("copied", "A glacier calving into the sea"));
        assertThat(item.path("status").asText()).isEqualTo("stored");
        assertThat(server.stats().downloads("video")).as("the face wrote it into Bedrock's bucket")
                .isEqualTo(written + 1);
        assertThat(sha256(output("copied", item.path("video").asText()))).isEqualTo(item.path("sha256").asText())
                .isEqualTo(server.sha256(Asset.VIDEO));
        assertThat(item.path("bytes").asLong()).isEqualTo(output("copied", item.path("video").asText()).length);
        String invocation = item.path("provider_job_id").asText();
        String id = invocation.substring(invocation.lastIndexOf('/') + 1);
        assertThat(s3.listObjectsV2Paginator(b -> b.bucket(ContractFace.BEDROCK_BUCKET)).contents().stream()
                .map(S3Object::key)).noneMatch(key -> key.contains("/" + id + "/"));
    }
}

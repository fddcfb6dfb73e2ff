package dev.sorabatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sorabatch.lifecycle.RunControl;
import dev.sorabatch.provider.ContractFace;

class PixazoPipelineTest extends PipelineContract {

    @Override
    ContractFace face() {
        return ContractFace.PIXAZO;
    }

    /**
     * The account runs dry after two videos: the create answered 402 fails saying so, every later item fails
     * without being sent, and the once-mode run exits 3 with the reason in the manifest.
     */
    @Test
    void runningOutOfCreditsMidBatchStopsCreatesAndARunOnceExitsWith3(@TempDir Path other) throws Exception {
        server.settings().credits(2).maxInFlight(1);
        int requestsBefore = server.stats().createRequests();
        Files.createDirectories(other.resolve("inbox"));
        Files.writeString(other.resolve("inbox/unpaid.csv"),
                "prompt\nPaid one\nPaid two\nUnpaid three\nUnpaid four\nUnpaid five\n");
        try (Pipeline once = Pipeline.start(other, pipelineSettings(KEY, Map.of("sora.once", "true",
                "sora.max-in-flight", "1")))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> once.camel().isStopped());
            assertThat(RunControl.exitCode()).isEqualTo(RunControl.EXIT_INCOMPLETE);
        }
        JsonNode manifest = Pipeline.JSON.readTree(other.resolve("outbox/unpaid/manifest.json").toFile());
        assertThat(manifest.path("counts").path("stored").asInt()).isEqualTo(2);
        assertThat(manifest.path("counts").path("failed").asInt()).isEqualTo(3);
        int refused = 0;
        for (JsonNode item : manifest.path("items")) {
            if (item.path("status").asText().equals("stored")) {
                continue;
            }
            String code = item.path("error").path("code").asText();
            assertThat(code).isIn("out_of_credits", "quota_exhausted");
            refused += code.equals("out_of_credits") ? 1 : 0;
            assertThat(item.path("error").path("message").asText()).contains("out of credits", "top up",
                    "creates to pixazo stopped for this run");
        }
        assertThat(refused).as("the creates answered 402").isPositive();
        assertThat(server.stats().createRequests() - requestsBefore).as("no create sent after the stop")
                .isEqualTo(2 + refused);
    }
}

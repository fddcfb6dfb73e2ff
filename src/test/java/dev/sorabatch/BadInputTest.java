package dev.sorabatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Refused prompts, vanished content and unreadable files end clearly, and never hold up the rest. */
class BadInputTest {

    @Test
    void moderationBlockedPromptFailsWithTheProvidersReasonAndGarbageFileIsSetAside(@TempDir Path dir) throws Exception {
        try (Pipeline p = Pipeline.start(dir, Map.of())) {
            byte[] garbage = new byte[4096];
            new Random(7).nextBytes(garbage);
            Files.createDirectories(p.inbox());
            Files.write(p.inbox().resolve("garbage.csv"), garbage);
            p.drop("mixed.jsonl", """
                    {"id": "ok", "prompt": "A quiet library at noon"}
                    {"id": "blocked", "prompt": "A forbidden-word scene"}
                    """);

            JsonNode manifest = p.awaitManifest("mixed", Duration.ofSeconds(60));
            JsonNode byId = EndToEndTest.index(manifest);
            assertThat(byId.path("ok").path("status").asText()).isEqualTo("stored");
            assertThat(byId.path("blocked").path("status").asText()).isEqualTo("failed");
            assertThat(byId.path("blocked").path("error").path("code").asText()).isEqualTo("moderation_blocked");
            assertThat(byId.path("blocked").path("error").path("message").asText()).contains("moderation");

            Path report = dir.resolve("error/garbage.csv.error.json");
            assertThat(dir.resolve("error/garbage.csv")).exists();
            assertThat(report).exists();
            assertThat(Pipeline.JSON.readTree(report.toFile()).path("error").asText()).isNotBlank();
            assertThat(dir.resolve("done/mixed.jsonl")).exists();
        }
    }

    @Test
    void contentGoneBeforeFetchIsExpired(@TempDir Path dir) throws Exception {
        try (Pipeline p = Pipeline.start(dir, Map.of("sora.simulator.content-expiry", "1"))) {
            p.drop("late.csv", "prompt\nA train in the rain\n");
            JsonNode manifest = p.awaitManifest("late", Duration.ofSeconds(60));
            assertThat(manifest.path("counts").path("expired").asInt()).isEqualTo(1);
            assertThat(manifest.path("items").get(0).path("status").asText()).isEqualTo("expired");
        }
    }

    @Test
    void sameContentDroppedAgainIsSkippedAndNotPaidTwice(@TempDir Path dir) throws Exception {
        try (Pipeline p = Pipeline.start(dir, Map.of())) {
            p.drop("first.csv", "prompt\nA red kite over hills\n");
            p.awaitManifest("first", Duration.ofSeconds(60));
            p.drop("second.csv", "prompt\nA red kite over hills\n");
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> Files.exists(dir.resolve("done/second.csv")));
            assertThat(p.store().batches().find("second")).isEmpty();
            assertThat(p.simulator().stats().jobsCreated()).isEqualTo(1);
        }
    }
}

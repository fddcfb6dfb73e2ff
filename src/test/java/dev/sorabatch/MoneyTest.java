package dev.sorabatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sorabatch.catalog.ModelCatalog;
import dev.sorabatch.lifecycle.RunControl;
import dev.sorabatch.simulator.SimulatorStats;

/** Dry runs, budgets and output QA, through the whole pipeline and the simulator. */
class MoneyTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void aDryRunPricesEveryItemFromTheCatalogueAndCallsNoProvider() throws Exception {
        ModelCatalog catalog = ModelCatalog.builtIn();
        BigDecimal expected = catalog.cost("openai", "sora-2", 4, "720p", true).orElseThrow()
                .add(catalog.cost("openai", "sora-2", 12, "720p", true).orElseThrow())
                .add(catalog.cost("openai", "sora-2-pro", 8, "720p", true).orElseThrow())
                .add(catalog.cost("openai", "sora-2-pro", 12, "1024p", true).orElseThrow())
                .setScale(2, RoundingMode.HALF_UP);
        waiting("plan.csv", "id,prompt,model,seconds,size\r\n"
                + "a,A kite,sora-2,4,720x1280\r\n"
                + "b,A kite at dusk,sora-2,12,1280x720\r\n"
                + "c,A harbour,sora-2-pro,8,1280x720\r\n"
                + "d,A harbour at night,sora-2-pro,12,1792x1024\r\n"
                + "e,A bad row,sora-2,5,720x1280\r\n");
        try (Pipeline pipeline = Pipeline.start(dir, Map.of("sora.once", "true", "sora.dry-run", "true"))) {
            SimulatorStats stats = pipeline.simulator().stats();
            JsonNode manifest = pipeline.awaitManifest("plan", TIMEOUT);
            await().atMost(TIMEOUT).until(() -> pipeline.camel().isStopped());

            assertThat(List.of(stats.createRequests(), stats.statusCalls(), stats.listCalls(), stats.downloads("video")))
                    .as("no call of any kind reached the provider").containsOnly(0);
            assertThat(RunControl.exitCode()).as("a dry run that planned every valid row succeeded")
                    .isEqualTo(RunControl.EXIT_INCOMPLETE); // the bad row is rejected
            assertThat(manifest.path("counts").path("planned").asInt()).isEqualTo(4);
            assertThat(manifest.path("counts").path("rejected").asInt()).isEqualTo(1);
            assertThat(statuses(manifest)).containsExactly("planned", "planned", "planned", "planned", "rejected");
            assertThat(manifest.path("items").get(3).path("cost_usd").decimalValue()).isEqualByComparingTo("6.00");
            assertThat(manifest.path("spend").path("planned_usd").decimalValue())
                    .as("the plan's price, to the cent of the catalogue").isEqualByComparingTo(expected)
                    .isEqualByComparingTo("10.00"); // 0.40 + 1.20 + 2.40 + 6.00
            assertThat(manifest.path("spend").path("spent_usd").decimalValue()).isEqualByComparingTo("0");
            assertThat(pipeline.batchDir("plan").resolve("index.html")).exists();
        }
    }

    @Test
    void aBudgetOfNItemsCostSendsExactlyN() throws Exception {
        // sora-2 is $0.10 a second in the catalogue: 3 clips of 4 s are $1.20
        StringBuilder csv = new StringBuilder("id,prompt,seconds\r\n");
        for (int i = 1; i <= 5; i++) {
            csv.append("k").append(i).append(",A kite number ").append(i).append(",4\r\n");
        }
        waiting("capped.csv", csv.toString());
        try (Pipeline pipeline = Pipeline.start(dir, Map.of("sora.once", "true", "sora.budget.per-batch-usd", "1.20",
                "sora.max-in-flight", "2"))) {
            JsonNode manifest = pipeline.awaitManifest("capped", TIMEOUT);

            assertThat(pipeline.simulator().stats().createRequests()).isEqualTo(3);
            assertThat(manifest.path("counts").path("stored").asInt()).isEqualTo(3);
            assertThat(manifest.path("counts").path("skipped_budget").asInt()).isEqualTo(2);
            JsonNode spend = manifest.path("spend");
            assertThat(spend.path("spent_usd").decimalValue()).isEqualByComparingTo("1.20");
            assertThat(spend.path("budget_per_batch_usd").decimalValue()).isEqualByComparingTo("1.20");
            assertThat(spend.path("budget_per_day_usd").isNull()).isTrue();
            List<JsonNode> skipped = new ArrayList<>();
            manifest.path("items").forEach(item -> {
                if (item.path("status").asText().equals("skipped_budget")) {
                    skipped.add(item);
                }
            });
            assertThat(skipped).hasSize(2).allSatisfy(item -> {
                assertThat(item.path("error").path("code").asText()).isEqualTo("budget_exceeded");
                assertThat(item.path("error").path("message").asText()).contains("sora.budget.per-batch-usd");
                assertThat(item.path("provider_job_id").isNull()).isTrue();
                assertThat(item.path("attempts").asInt()).isZero();
            });
            await().atMost(TIMEOUT).until(() -> pipeline.camel().isStopped());
            assertThat(RunControl.exitCode()).isEqualTo(RunControl.EXIT_INCOMPLETE);
        }
    }

    @Test
    void aClipWithoutSoundFromAModelThatPromisesSoundIsFlaggedAndKept() throws Exception {
        Path silent = Path.of("src/test/resources/poster/baseline.mp4").toAbsolutePath();
        waiting("quiet.csv", "id,prompt,model\r\nq,A quiet kite,sora-2\r\n");
        try (Pipeline pipeline = Pipeline.start(dir, Map.of("sora.once", "true",
                "sora.simulator.video-file", silent.toString()))) {
            JsonNode manifest = pipeline.awaitManifest("quiet", TIMEOUT);

            JsonNode item = manifest.path("items").get(0);
            assertThat(item.path("status").asText()).as("a flagged clip is kept").isEqualTo("stored");
            assertThat(pipeline.batchDir("quiet").resolve(item.path("video").asText())).exists()
                    .hasSize(Files.size(silent));
            JsonNode qa = item.path("qa");
            assertThat(qa.path("passed").asBoolean()).isFalse();
            List<String> codes = new ArrayList<>();
            qa.path("flags").forEach(flag -> codes.add(flag.path("code").asText()));
            assertThat(codes).contains("audio_missing");
            assertThat(qa.path("audio_codec").isNull()).isTrue();
            assertThat(qa.path("video_codec").asText()).isEqualTo("h264");
            assertThat(qa.path("width").asInt()).isEqualTo(160);
            assertThat(manifest.path("counts").path("qa_failed").asInt()).isEqualTo(1);
            assertThat(Files.readString(pipeline.batchDir("quiet").resolve("index.html"))).contains("audio_missing");
        }
    }

    /** A file in the inbox before the start: once mode takes what is there when it starts. */
    private void waiting(String name, String content) throws Exception {
        Files.createDirectories(dir.resolve("inbox"));
        Files.writeString(dir.resolve("inbox").resolve(name), content);
    }

    private static List<String> statuses(JsonNode manifest) {
        List<String> statuses = new ArrayList<>();
        manifest.path("items").forEach(item -> statuses.add(item.path("status").asText()));
        return statuses;
    }
}

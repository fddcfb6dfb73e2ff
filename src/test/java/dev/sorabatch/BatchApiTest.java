package dev.sorabatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded HTTP server: metrics of a finished batch, the batch API, cancel and retry with their token. */
class BatchApiTest {

    static final String TOKEN = "operator-token-1";

    static Map<String, String> withServer(Map<String, String> more) {
        Map<String, String> settings = new HashMap<>(Map.of("sora.http.enabled", "true", "sora.http.port", "0",
                "sora.http.token", TOKEN));
        settings.putAll(more);
        return settings;
    }

    static String rows(int n, int seconds) {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= n; i++) {
            sb.append("{\"id\":\"clip-").append(i).append("\",\"prompt\":\"A harbour at dawn, take ").append(i)
                    .append("\",\"seconds\":").append(seconds).append(",\"size\":\"1280x720\"}\n");
        }
        return sb.toString();
    }

    @Test
    void metricsShowTheFiguresOfAFinishedBatchAndTheApiItsItems(@TempDir Path dir) throws Exception {
        try (Pipeline p = Pipeline.start(dir, withServer(Map.of()))) {
            HttpClientFixture http = new HttpClientFixture(p);
            p.drop("harbour.jsonl", rows(3, 8));
            JsonNode manifest = p.awaitManifest("harbour", Duration.ofSeconds(60));
            assertThat(manifest.path("revision").asInt()).isEqualTo(1);
            long bytes = 0;
            for (JsonNode item : manifest.path("items")) {
                bytes += item.path("bytes").asLong();
            }

            HttpResponse<String> metrics = http.get("/observe/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
            String text = metrics.body();
            assertThat(value(text, "sora_items{provider=\"openai\",state=\"stored\"}")).isEqualTo(3);
            assertThat(value(text, "sora_items{provider=\"openai\",state=\"pending\"}")).isEqualTo(0);
            assertThat(value(text, "sora_generated_seconds")).isEqualTo(24);
            assertThat(value(text, "sora_stored_bytes")).isEqualTo(bytes);
            assertThat(value(text, "sora_estimated_spend_usd")).isEqualTo(2.40); // 24 s of sora-2 at $0.10
            assertThat(value(text, "sora_jobs_in_flight")).isEqualTo(0);
            assertThat(value(text, "sora_provider_creates_total{provider=\"openai\"}")).isEqualTo(3);
            assertThat(value(text, "sora_provider_status_calls_total{provider=\"openai\"}")).isGreaterThanOrEqualTo(3);
            assertThat(value(text, "sora_provider_throttled_total{provider=\"openai\"}")).isEqualTo(0);
            assertThat(value(text, "sora_retries_total{call=\"create\",provider=\"openai\"}")).isEqualTo(0);
            assertThat(value(text, "sora_concurrency_ceiling")).isEqualTo(20);
            assertThat(value(text, "sora_webhook_callbacks_total{outcome=\"bad_signature\",provider=\"replicate\"}"))
                    .isEqualTo(0);
            assertThat(text).contains("camel_exchanges_total"); // Camel's own meters in the same registry

            JsonNode list = Pipeline.JSON.readTree(http.get("/api/batches").body());
            assertThat(list).hasSize(1);
            assertThat(list.get(0).path("batch_id").asText()).isEqualTo("harbour");
            assertThat(list.get(0).path("counts").path("stored").asInt()).isEqualTo(3);
            assertThat(list.get(0).path("estimated_cost_usd").asDouble()).isEqualTo(2.40);
            assertThat(list.get(0).path("eta").asText()).isEqualTo("now");

            HttpResponse<String> one = http.get("/api/batches/harbour");
            assertThat(one.statusCode()).isEqualTo(200);
            JsonNode batch = Pipeline.JSON.readTree(one.body());
            assertThat(batch.path("items")).hasSize(3).allSatisfy(i -> {
                assertThat(i.path("status").asText()).isEqualTo("stored");
                assertThat(i.path("attempt").asInt()).isEqualTo(1);
            });
            assertThat(http.get("/api/batches/nosuch").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void cancelTakesBackTheWaitingItemsAndLetsThePaidJobFinish(@TempDir Path dir) throws Exception {
        Map<String, String> slow = Map.of("sora.max-in-flight", "1", "sora.simulator.generation-min", "3s",
                "sora.simulator.generation-max", "3s");
        try (Pipeline p = Pipeline.start(dir, withServer(slow))) {
            HttpClientFixture http = new HttpClientFixture(p);
            p.drop("queue.jsonl", rows(4, 4));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                JsonNode counts = Pipeline.JSON.readTree(http.get("/api/batches/queue").body()).path("counts");
                return counts.path("submitted").asInt() == 1 && counts.path("pending").asInt() == 3;
            });

            assertThat(http.post("/api/batches/queue/cancel", null).statusCode()).isEqualTo(401);
            HttpResponse<String> wrong = http.post("/api/batches/queue/cancel", TOKEN + "x");
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(wrong.body()).doesNotContain(TOKEN);
            assertThat(http.get("/api/batches/queue/cancel").statusCode()).isEqualTo(405);

            HttpResponse<String> cancel = http.post("/api/batches/queue/cancel", TOKEN);
            assertThat(cancel.statusCode()).isEqualTo(200);
            JsonNode answer = Pipeline.JSON.readTree(cancel.body());
            assertThat(answer.path("cancelled").asInt()).isEqualTo(3);
            assertThat(answer.path("at_provider").asInt()).isEqualTo(1);

            JsonNode manifest = p.awaitManifest("queue", Duration.ofSeconds(30));
            assertThat(manifest.path("counts").path("stored").asInt()).isEqualTo(1);
            assertThat(manifest.path("counts").path("cancelled").asInt()).isEqualTo(3);
            assertThat(p.simulator().stats().jobsCreated()).isEqualTo(1);
        }
    }

    @Test
    void cancelStopsTheJobsAtAProviderThatCanCancelThem(@TempDir Path dir) throws Exception {
        Map<String, String> runway = Map.of("sora.provider", "simulator-runway", "sora.simulator.generation-min", "15s",
                "sora.simulator.generation-max", "15s");
        try (Pipeline p = Pipeline.start(dir, withServer(runway))) {
            HttpClientFixture http = new HttpClientFixture(p);
            p.drop("dusk.jsonl", "{\"id\":\"a\",\"prompt\":\"A harbour at dusk\"}\n"
                    + "{\"id\":\"b\",\"prompt\":\"A lighthouse at dusk\"}\n");
            await().atMost(Duration.ofSeconds(30)).until(() -> Pipeline.JSON.readTree(http.get("/api/batches/dusk")
                    .body()).path("counts").path("submitted").asInt() == 2);

            JsonNode answer = Pipeline.JSON.readTree(http.post("/api/batches/dusk/cancel", TOKEN).body());
            assertThat(answer.path("at_provider").asInt()).isEqualTo(2);
            assertThat(answer.path("cancelled_at_provider").asInt()).isEqualTo(2);
            assertThat(p.simulator().stats().cancels()).isEqualTo(2);

            JsonNode manifest = p.awaitManifest("dusk", Duration.ofSeconds(40));
            assertThat(manifest.path("counts").path("failed").asInt()).isEqualTo(2);
            assertThat(manifest.path("counts").path("stored").asInt()).isZero();
            assertThat(manifest.path("items").findValuesAsText("code")).containsOnly("job_cancelled");
        }
    }

    @Test
    void anUncertainItemRetriedCreatesExactlyOneJobAndTheManifestIsWrittenAgain(@TempDir Path dir) throws Exception {
        try (Pipeline p = Pipeline.start(dir, withServer(Map.of()))) {
            HttpClientFixture http = new HttpClientFixture(p);
            p.drop("dawn.jsonl", rows(2, 4));
            p.awaitManifest("dawn", Duration.ofSeconds(60));
            assertThat(p.simulator().stats().jobsCreated()).isEqualTo(2);
            // as the reconciler leaves an item whose create may have happened and could not be matched to a job
            try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("store/sora"), "sa", "");
                 PreparedStatement ps = c.prepareStatement("update item set state = 'UNCERTAIN', provider_job_id = null, "
                         + "video_path = null, error_code = 'create_uncertain', error_message = 'no job matched' "
                         + "where request_id = 'clip-2'")) {
                assertThat(ps.executeUpdate()).isEqualTo(1);
            }

            assertThat(http.post("/api/batches/dawn/retry?status=stored", TOKEN).statusCode()).isEqualTo(400);
            assertThat(http.post("/api/batches/dawn/retry?status=uncertain", null).statusCode()).isEqualTo(401);
            HttpResponse<String> retry = http.post("/api/batches/dawn/retry?status=uncertain", TOKEN);
            assertThat(retry.statusCode()).as(retry.body()).isEqualTo(200);
            JsonNode answer = Pipeline.JSON.readTree(retry.body());
            assertThat(answer.path("retried").asInt()).isEqualTo(1);
            assertThat(answer.path("revision").asInt()).isEqualTo(2);

            await().atMost(Duration.ofSeconds(30)).until(() -> p.awaitManifest("dawn", Duration.ofSeconds(1))
                    .path("revision").asInt() == 2);
            JsonNode manifest = p.awaitManifest("dawn", Duration.ofSeconds(1));
            assertThat(manifest.path("counts").path("stored").asInt()).isEqualTo(2);
            assertThat(manifest.path("items").get(1).path("attempt").asInt()).isEqualTo(2);
            assertThat(p.simulator().stats().jobsCreated()).isEqualTo(3);
            assertThat(p.simulator().stats().jobsCreated("A harbour at dawn, take 2")).isEqualTo(2);
        }
    }

    /** The value of one sample line of a Prometheus text scrape. */
    static double value(String scrape, String sample) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(sample) + " (\\S+)$").matcher(scrape);
        assertThat(m.find()).as("%s in%n%s", sample, scrape).isTrue();
        return Double.parseDouble(m.group(1));
    }
}

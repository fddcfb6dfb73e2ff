package dev.sorabatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.sorabatch.simulator.SimulatorSettings.WebhookFault;
import dev.sorabatch.simulator.SimulatorStats;
import dev.sorabatch.store.Item;
import dev.sorabatch.store.ItemState;
import dev.sorabatch.webhook.StandardWebhooks;

/**
 * Provider callbacks over loopback, the simulator's faces sending them signed as the services do: with callbacks on,
 * jobs are stored as soon as they end, with about one status check each, although polling is stretched to ten
 * minutes; a callback that is unsigned, forged, stale, replayed, for no provider or no job is refused, changes
 * nothing and is counted.
 */
class WebhooksTest {

    static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString(
            "the endpoint's signing secret, 32b".getBytes(StandardCharsets.UTF_8));

    /** The pipeline on free ports, with the face's callbacks on and polling only every ten minutes. */
    static Map<String, String> callbacksOn(String face, Map<String, String> more) throws IOException {
        int http = freePort();
        int simulator = freePort();
        Map<String, String> s = new HashMap<>();
        s.put("sora.provider", "simulator-" + face);
        s.put("sora.http.enabled", "true");
        s.put("sora.http.port", Integer.toString(http));
        s.put("sora.simulator.port", Integer.toString(simulator));
        s.put("sora.webhooks.public-url", "http://127.0.0.1:" + http + "/");
        s.put("sora.webhooks.openai-secret", SECRET);
        s.put("sora.webhooks.replicate-secret", SECRET);
        s.put("sora.webhooks.fal-jwks-url", "http://127.0.0.1:" + simulator + "/fal/.well-known/jwks.json");
        s.put("sora.webhooks.poll-interval", "10m");
        s.put("sora.simulator.webhook-secret", SECRET);
        s.put("sora.simulator.webhook-url", "http://127.0.0.1:" + http + "/webhooks/openai");
        s.putAll(more);
        return s;
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "replicate", "fal"})
    void aBatchIsStoredAsItsCallbacksArriveWithAboutOneStatusCheckPerJob(String face, @TempDir Path dir)
            throws Exception {
        try (Pipeline p = Pipeline.start(dir, callbacksOn(face, Map.of()))) {
            p.drop("kites.csv", "prompt\nA red kite\nA blue kite\nA green kite\nA kite in the rain\nA kite at night\n"
                    + "A kite over the sea\n");
            JsonNode manifest = p.awaitManifest("kites", Duration.ofSeconds(60));
            assertThat(manifest.path("counts").path("stored").asInt()).isEqualTo(6);
            List<Item> items = p.items("kites");
            double checks = items.stream().mapToInt(Item::statusChecks).average().orElseThrow();
            assertThat(checks).as("status checks per job").isLessThan(1.5);
            assertThat(p.simulator().stats().callbackAnswers()).isEqualTo(Map.of(200, 6));
            String metrics = new HttpClientFixture(p).get("/observe/metrics").body();
            assertThat(BatchApiTest.value(metrics, "sora_webhook_callbacks_total{outcome=\"accepted\",provider=\""
                    + face + "\"}")).isEqualTo(6);
        }
    }

    @Test
    void refusedCallbacksChangeNothingAndAreCountedByOutcome(@TempDir Path dir) throws Exception {
        Map<String, String> slow = Map.of("sora.simulator.generation-min", "60s", "sora.simulator.generation-max", "60s",
                "sora.webhooks.max-body-bytes", "4096");
        try (Pipeline p = Pipeline.start(dir, callbacksOn("replicate", slow))) {
            HttpClientFixture http = new HttpClientFixture(p);
            p.drop("held.csv", "prompt\nA heron that waits\n");
            Item held = await().atMost(Duration.ofSeconds(30)).until(() -> only(p, "held"),
                    i -> i != null && i.state() == ItemState.SUBMITTED);
            String job = held.providerJobId();
            byte[] body = ("{\"id\":\"" + job + "\",\"status\":\"succeeded\"}").getBytes(StandardCharsets.UTF_8);
            long now = System.currentTimeMillis() / 1000;

            assertThat(http.post("/webhooks/replicate", signed("msg_a", now, body, "whsec_"
                    + Base64.getEncoder().encodeToString("another secret".getBytes(StandardCharsets.UTF_8))), body)
                    .statusCode()).as("wrong signature").isEqualTo(401);
            assertThat(http.post("/webhooks/replicate", signed("msg_b", now - 301, body, SECRET), body).statusCode())
                    .as("stale").isEqualTo(401);
            Map<String, String> valid = signed("msg_c", now, body, SECRET);
            String query = "?" + String.join("&", valid.entrySet().stream().map(e -> e.getKey() + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).toList());
            assertThat(http.post("/webhooks/replicate" + query, json(), body).statusCode())
                    .as("signature headers given as query parameters").isEqualTo(401);
            assertThat(http.post("/webhooks/runway", valid, body).statusCode()).as("no callbacks").isEqualTo(404);
            assertThat(http.post("/webhooks/nosuch", valid, body).statusCode()).isEqualTo(404);
            byte[] other = "{\"id\":\"r-no-such-job\",\"status\":\"succeeded\"}".getBytes(StandardCharsets.UTF_8);
            assertThat(http.post("/webhooks/replicate", signed("msg_d", now, other, SECRET), other).statusCode())
                    .as("unknown job").isEqualTo(404);
            Map<String, String> form = new HashMap<>(valid);
            form.put("Content-Type", "application/x-www-form-urlencoded");
            assertThat(http.post("/webhooks/replicate", form, body).statusCode()).isEqualTo(400);
            byte[] huge = ("{\"id\":\"" + job + "\",\"logs\":\"" + "x".repeat(5000) + "\"}").getBytes(StandardCharsets.UTF_8);
            assertThat(http.post("/webhooks/replicate", signed("msg_e", now, huge, SECRET), huge).statusCode())
                    .as("over the body limit").isEqualTo(413);
            assertThat(only(p, "held")).as("nothing changed").isEqualTo(held);

            assertThat(http.post("/webhooks/replicate", valid, body).statusCode()).isEqualTo(200);
            assertThat(only(p, "held").nextAttemptAt()).as("its check is due now")
                    .isLessThanOrEqualTo(System.currentTimeMillis());
            HttpResponse<String> replay = http.post("/webhooks/replicate", valid, body);
            assertThat(replay.statusCode()).isEqualTo(409);
            assertThat(replay.body()).doesNotContain(job, SECRET);

            String metrics = http.get("/observe/metrics").body();
            Map<String, Integer> expected = Map.of("bad_signature", 1, "stale", 1, "unsigned", 1, "unknown_job", 1,
                    "malformed", 1, "accepted", 1, "replayed", 1);
            expected.forEach((outcome, n) -> assertThat(BatchApiTest.value(metrics, "sora_webhook_callbacks_total"
                    + "{outcome=\"" + outcome + "\",provider=\"replicate\"}")).as(outcome).isEqualTo(n.doubleValue()));
            assertThat(BatchApiTest.value(metrics, "sora_webhook_callbacks_total{outcome=\"unknown_provider\","
                    + "provider=\"unknown\"}")).isEqualTo(2);
        }
    }

    @Test
    void theSimulatorsForgedStaleAndDoubledCallbacksAreRefusedAndOnlyTheGenuineOneCounts(@TempDir Path dir)
            throws Exception {
        try (Pipeline p = Pipeline.start(dir, callbacksOn("fal", Map.of()))) {
            SimulatorStats stats = p.simulator().stats();
            p.simulator().settings().webhookFault(WebhookFault.BAD_SIGNATURE);
            p.drop("forged.csv", "prompt\nA forged gull\n");
            await().atMost(Duration.ofSeconds(30)).until(() -> stats.callbackAnswers().getOrDefault(401, 0) == 1);
            p.simulator().settings().webhookFault(WebhookFault.STALE_TIMESTAMP);
            p.drop("stale.csv", "prompt\nA stale gull\n");
            await().atMost(Duration.ofSeconds(30)).until(() -> stats.callbackAnswers().getOrDefault(401, 0) == 2);
            for (String batch : List.of("forged", "stale")) {
                Item item = only(p, batch);
                assertThat(item.state()).as("still waiting for a poll ten minutes away").isEqualTo(ItemState.SUBMITTED);
                assertThat(item.statusChecks()).isZero();
            }

            p.simulator().settings().webhookFault(WebhookFault.DUPLICATE);
            p.drop("twice.csv", "prompt\nA gull heard twice\n");
            assertThat(p.awaitManifest("twice", Duration.ofSeconds(30)).path("counts").path("stored").asInt())
                    .isEqualTo(1);
            await().atMost(Duration.ofSeconds(10)).until(() -> stats.callbackAnswers().getOrDefault(409, 0) == 1);
            assertThat(stats.callbackAnswers()).isEqualTo(Map.of(401, 2, 200, 1, 409, 1));
            assertThat(only(p, "twice").statusChecks()).isEqualTo(1);
        }
    }

    private static Item only(Pipeline p, String batch) throws Exception {
        List<Item> items = p.items(batch);
        return items.isEmpty() ? null : items.get(0);
    }

    private static Map<String, String> signed(String id, long timestamp, byte[] body, String secret) {
        Map<String, String> headers = json();
        headers.put("webhook-id", id);
        headers.put("webhook-timestamp", Long.toString(timestamp));
        headers.put("webhook-signature", StandardWebhooks.sign(StandardWebhooks.key(secret), id,
                Long.toString(timestamp), body));
        return headers;
    }

    private static Map<String, String> json() {
        Map<String, String> headers = new HashMap<>();
        headers.put("Content-Type", "application/json");
        return headers;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}

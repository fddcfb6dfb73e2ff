package dev.sorabatch.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hc.client5.http.entity.mime.MultipartEntityBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimulatorServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private SimulatorServer server;

    @BeforeEach
    void start() throws IOException {
        server = new SimulatorServer(0, new SimulatorSettings().generationTime(Duration.ofMillis(200), Duration.ofMillis(400)))
                .start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void multipartCreateProgressesToCompletedAndServesTheFixture() throws Exception {
        server.settings().generationTime(Duration.ofMillis(800), Duration.ofMillis(800)).pollAfterMillis(1500L);
        byte[] image = Asset.THUMBNAIL.body(0, null).head();

        JsonNode created = json(200, createMultipart("café at dawn ☕", "8", image));
        assertEquals("queued", created.get("status").asText());
        assertEquals(0, created.get("progress").asInt());
        assertEquals("café at dawn ☕", created.get("prompt").asText());
        assertEquals("8", created.get("seconds").asText());
        assertEquals("sora-2", created.get("model").asText());
        assertEquals("720x1280", created.get("size").asText());
        assertTrue(created.get("completed_at").isNull());
        String id = created.get("id").asText();
        assertTrue(id.startsWith("video_"), id);

        List<String> seen = new ArrayList<>();
        AtomicReference<JsonNode> last = new AtomicReference<>();
        await().atMost(5, SECONDS).pollInterval(20, MILLISECONDS).until(() -> {
            HttpResponse<String> response = get("/videos/" + id);
            assertEquals("1500", response.headers().firstValue("openai-poll-after-ms").orElse(null));
            JsonNode video = json(200, response);
            last.set(video);
            String status = video.get("status").asText();
            if (status.equals("in_progress")) {
                int progress = video.get("progress").asInt();
                assertTrue(progress >= 0 && progress < 100, "progress " + progress);
            }
            if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(status)) {
                seen.add(status);
            }
            return status.equals("completed");
        });
        List<String> lifecycle = List.of("queued", "in_progress", "completed");
        assertTrue(seen.size() >= 2 && lifecycle.subList(3 - seen.size(), 3).equals(seen), "statuses " + seen);
        JsonNode done = last.get();
        assertEquals(100, done.get("progress").asInt());
        assertEquals(done.get("completed_at").asLong() + 3600, done.get("expires_at").asLong());
        assertTrue(server.stats().statusCalls(id) >= 2);

        HttpResponse<byte[]> video = HTTP.send(request("/videos/" + id + "/content").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, video.statusCode());
        assertEquals("video/mp4", video.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(server.sha256(Asset.VIDEO), sha256(video.body()));
        HttpResponse<byte[]> thumbnail = HTTP.send(request("/videos/" + id + "/content?variant=thumbnail").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals("image/webp", thumbnail.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(server.sha256(Asset.THUMBNAIL), sha256(thumbnail.body()));
        assertEquals(1, server.stats().downloads("video"));
        assertEquals(1, server.stats().downloads("thumbnail"));
        assertEquals(1, server.stats().jobsCreated("café at dawn ☕"));
    }

    @Test
    void jsonCreateNeedsPromptAndSecondsAsOneOfTheSupportedStrings() throws Exception {
        JsonNode created = json(200, postJson("/videos", "{\"prompt\":\"a kite\",\"seconds\":\"12\",\"size\":\"1280x720\"}"));
        assertEquals("12", created.get("seconds").asText());
        assertEquals("1280x720", created.get("size").asText());

        assertError(400, "seconds", "invalid_type", postJson("/videos", "{\"prompt\":\"a kite\",\"seconds\":8}"));
        assertError(400, "seconds", "invalid_value", postJson("/videos", "{\"prompt\":\"a kite\",\"seconds\":\"5\"}"));
        assertError(400, "prompt", "missing_required_parameter", postJson("/videos", "{\"seconds\":\"4\"}"));
        assertEquals(400, postJson("/videos", "not json").statusCode());
        assertEquals(1, server.stats().jobsCreated());
        assertEquals(5, server.stats().createRequests());
    }

    @Test
    void blockedWordIsRefusedByModeration() throws Exception {
        HttpResponse<String> response = postJson("/videos", "{\"prompt\":\"A FORBIDDEN-WORD in a field\"}");
        assertEquals(400, response.statusCode());
        assertEquals(JSON.readTree("{\"error\":{\"message\":\"Your request was blocked by our moderation system.\","
                + "\"type\":\"invalid_request_error\",\"param\":\"prompt\",\"code\":\"moderation_blocked\"}}"),
                JSON.readTree(response.body()));
        assertEquals(0, server.stats().jobsCreated());

        server.settings().blockedWord(null);
        assertEquals(200, postJson("/videos", "{\"prompt\":\"A FORBIDDEN-WORD in a field\"}").statusCode());
    }

    @Test
    void createsBeyondThePerMinuteLimitGet429WithRetryHeaders() throws Exception {
        server.settings().createsPerMinute(3);
        for (int i = 0; i < 3; i++) {
            assertEquals(200, postJson("/videos", "{\"prompt\":\"p" + i + "\"}").statusCode());
        }
        HttpResponse<String> refused = postJson("/videos", "{\"prompt\":\"p3\"}");
        assertError(429, null, "rate_limit_exceeded", refused);
        long retryAfterMs = Long.parseLong(refused.headers().firstValue("retry-after-ms").orElseThrow());
        long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfterMs > 55_000 && retryAfterMs <= 60_000, "retry-after-ms " + retryAfterMs);
        assertEquals((retryAfterMs + 999) / 1000, retryAfter);

        assertEquals(1, server.stats().rateLimited());
        assertEquals(3, server.stats().jobsCreated());
        assertEquals(0, server.stats().jobsCreated("p3"));
        List<Instant> times = server.stats().createTimes();
        assertEquals(3, times.size());
        assertTrue(Duration.between(times.get(0), times.get(2)).toMillis() < 60_000);
    }

    @Test
    void quantisedRateAllowsOnlyTheBurstBackToBackThenRefillsPerSecond() throws Exception {
        server.settings().createsPerMinute(60).createsBurst(2); // one per second after a burst of two
        assertEquals(200, postJson("/videos", "{\"prompt\":\"q0\"}").statusCode());
        assertEquals(200, postJson("/videos", "{\"prompt\":\"q1\"}").statusCode());
        HttpResponse<String> refused = postJson("/videos", "{\"prompt\":\"q2\"}");
        assertError(429, null, "rate_limit_exceeded", refused);
        long retryAfterMs = Long.parseLong(refused.headers().firstValue("retry-after-ms").orElseThrow());
        assertTrue(retryAfterMs > 0 && retryAfterMs <= 1000, "retry-after-ms " + retryAfterMs);
        Thread.sleep(retryAfterMs + 20);
        assertEquals(200, postJson("/videos", "{\"prompt\":\"q2\"}").statusCode());
        assertEquals(3, server.stats().generationMillis().size());
    }

    @Test
    void a429StormRefusesEveryCreateWithRetryAfterUntilItEnds() throws Exception {
        assertEquals(200, postJson("/videos", "{\"prompt\":\"before\"}").statusCode());
        server.settings().rateLimitStorm(Instant.now().plusSeconds(30), Duration.ofSeconds(2));
        HttpResponse<String> refused = postJson("/videos", "{\"prompt\":\"during\"}");
        assertError(429, null, "rate_limit_exceeded", refused);
        assertEquals("2", refused.headers().firstValue("Retry-After").orElseThrow());
        assertEquals(200, get("/videos").statusCode(), "only creates are refused");
        server.settings().rateLimitStorm(Instant.now().plusMillis(300), Duration.ofSeconds(5));
        long wait = Long.parseLong(postJson("/videos", "{\"prompt\":\"during\"}").headers()
                .firstValue("retry-after-ms").orElseThrow());
        assertTrue(wait > 0 && wait <= 300, "never longer than the storm: " + wait);

        await().atMost(3, SECONDS).pollInterval(50, MILLISECONDS)
                .until(() -> postJson("/videos", "{\"prompt\":\"after\"}").statusCode() == 200);
        assertEquals(0, server.stats().jobsCreated("during"));
        assertEquals(2, server.stats().jobsCreated());
        assertEquals(2, server.stats().jobIds().size());
        assertTrue(server.stats().rateLimited() >= 2);
    }

    @Test
    void createsBeyondTheInFlightLimitGet429UntilAJobFinishes() throws Exception {
        server.settings().generationTime(Duration.ofMillis(600), Duration.ofMillis(600)).maxInFlight(2);
        assertEquals(200, postJson("/videos", "{\"prompt\":\"a\"}").statusCode());
        assertEquals(200, postJson("/videos", "{\"prompt\":\"b\"}").statusCode());
        HttpResponse<String> refused = postJson("/videos", "{\"prompt\":\"c\"}");
        assertError(429, null, "rate_limit_exceeded", refused);
        assertTrue(Long.parseLong(refused.headers().firstValue("retry-after-ms").orElseThrow()) <= 600);

        await().atMost(3, SECONDS).pollInterval(50, MILLISECONDS)
                .until(() -> postJson("/videos", "{\"prompt\":\"c\"}").statusCode() == 200);
        assertEquals(2, server.stats().maxInFlight());
        assertEquals(1, server.stats().jobsCreated("c"));
        assertTrue(server.stats().rateLimited() >= 1);
    }

    @Test
    void lostResponseCreatesTheJobButTheClientSeesNoAnswer() throws Exception {
        server.settings().lostResponseShare(1);
        assertThrows(IOException.class, () -> postJson("/videos", "{\"prompt\":\"lost\"}"));
        server.settings().lostResponseShare(0);

        JsonNode list = json(200, get("/videos"));
        assertEquals(1, list.get("data").size());
        assertEquals("lost", list.get("data").get(0).get("prompt").asText());
        assertEquals(1, server.stats().jobsCreated());
        assertEquals(1, server.stats().jobsCreated("lost"));
        assertEquals(1, server.stats().lostResponses());
    }

    @Test
    void droppedConnectionCreatesNothing() throws Exception {
        server.settings().dropShare(1);
        assertThrows(IOException.class, () -> postJson("/videos", "{\"prompt\":\"dropped\"}"));
        assertThrows(IOException.class, () -> get("/videos"));
        server.settings().dropShare(0);

        assertEquals(0, json(200, get("/videos")).get("data").size());
        assertEquals(0, server.stats().jobsCreated());
        assertTrue(server.stats().drops() >= 2);
    }

    @Test
    void serverErrorsHappenBeforeAnyJobIsCreated() throws Exception {
        server.settings().serverErrorShare(1);
        HttpResponse<String> response = postJson("/videos", "{\"prompt\":\"x\"}");
        assertTrue(List.of(500, 502, 503).contains(response.statusCode()), "status " + response.statusCode());
        assertEquals("server_error", JSON.readTree(response.body()).get("error").get("type").asText());
        assertEquals(1, server.stats().serverErrors());
        assertEquals(0, server.stats().jobsCreated());
    }

    @Test
    void failedJobReportsItsErrorAndHasNoContent() throws Exception {
        server.settings().failureShare(1);
        String id = json(200, postJson("/videos", "{\"prompt\":\"doomed\"}")).get("id").asText();
        JsonNode failed = awaitStatus(id, "failed");
        assertEquals("video_generation_failed", failed.get("error").get("code").asText());
        assertFalse(failed.get("error").get("message").asText().isBlank());
        assertTrue(failed.get("completed_at").isNull());
        assertError(400, null, "video_not_ready", get("/videos/" + id + "/content"));
        assertEquals(1, server.stats().failedJobs());
    }

    @Test
    void contentOfAnUnfinishedJobIsNotReady() throws Exception {
        server.settings().generationTime(Duration.ofSeconds(10), Duration.ofSeconds(10));
        String id = json(200, postJson("/videos", "{\"prompt\":\"slow\"}")).get("id").asText();
        assertError(400, null, "video_not_ready", get("/videos/" + id + "/content"));
        assertError(404, null, "not_found", get("/videos/video_unknown/content"));
        assertEquals(0, server.stats().downloads("video"));
    }

    @Test
    void contentExpiresAfterTheConfiguredTime() throws Exception {
        server.settings().generationTime(Duration.ofMillis(50), Duration.ofMillis(50)).contentExpiry(Duration.ofSeconds(1));
        String id = json(200, postJson("/videos", "{\"prompt\":\"brief\"}")).get("id").asText();
        JsonNode done = awaitStatus(id, "completed");
        assertEquals(done.get("completed_at").asLong() + 1, done.get("expires_at").asLong());
        assertEquals(200, get("/videos/" + id + "/content").statusCode());

        await().atMost(3, SECONDS).pollInterval(50, MILLISECONDS)
                .until(() -> get("/videos/" + id + "/content").statusCode() == 404);
        assertError(404, null, "video_expired", get("/videos/" + id + "/content"));
    }

    @Test
    void listPagesNewestFirstWithAfterCursor() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            ids.add(json(200, postJson("/videos", "{\"prompt\":\"n" + i + "\"}")).get("id").asText());
        }

        JsonNode first = json(200, get("/videos?limit=2"));
        assertEquals("list", first.get("object").asText());
        assertEquals(List.of(ids.get(4), ids.get(3)), idsOf(first));
        assertEquals(ids.get(4), first.get("first_id").asText());
        assertEquals(ids.get(3), first.get("last_id").asText());
        assertTrue(first.get("has_more").asBoolean());
        JsonNode second = json(200, get("/videos?limit=2&after=" + ids.get(3)));
        assertEquals(List.of(ids.get(2), ids.get(1)), idsOf(second));
        assertTrue(second.get("has_more").asBoolean());
        JsonNode third = json(200, get("/videos?limit=2&after=" + ids.get(1)));
        assertEquals(List.of(ids.get(0)), idsOf(third));
        assertFalse(third.get("has_more").asBoolean());

        JsonNode ascending = json(200, get("/videos?order=asc"));
        assertEquals(ids, idsOf(ascending));
        assertFalse(ascending.get("has_more").asBoolean());
        assertError(400, "after", "invalid_value", get("/videos?after=video_unknown"));
        assertError(400, "limit", "invalid_value", get("/videos?limit=0"));
        assertEquals(6, server.stats().listCalls());
    }

    @Test
    void largeModeStreamsASyntheticBodyOfTheConfiguredSize() throws Exception {
        long size = 5L * 1024 * 1024 + 123;
        server.settings().generationTime(Duration.ZERO, Duration.ZERO).largeVideoBytes(size);
        String id = json(200, postJson("/videos", "{\"prompt\":\"big\"}")).get("id").asText();

        HttpResponse<InputStream> response = HTTP.send(request("/videos/" + id + "/content").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        assertEquals(size, response.headers().firstValueAsLong("Content-Length").orElseThrow());
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        byte[] fixture = Asset.VIDEO.body(0, null).head();
        byte[] start = new byte[fixture.length];
        long total;
        try (InputStream body = new DigestInputStream(response.body(), digest)) {
            assertEquals(start.length, body.readNBytes(start, 0, start.length));
            total = start.length + body.transferTo(OutputStream.nullOutputStream());
        }
        assertEquals(size, total);
        assertArrayEquals(fixture, start);
        assertEquals(server.sha256(Asset.VIDEO), HexFormat.of().formatHex(digest.digest()));
        assertNotEquals(sha256(fixture), server.sha256(Asset.VIDEO));
    }

    @Test
    void requiredApiKeyIsAcceptedAsBearerTokenOrApiKeyHeader() throws Exception {
        server.settings().requiredApiKey("sk-test");
        assertError(401, null, "invalid_api_key", get("/videos"));
        assertError(401, null, "invalid_api_key", get("/videos", "Authorization", "Bearer sk-wrong"));
        assertEquals(200, get("/videos", "Authorization", "Bearer sk-test").statusCode());
        assertEquals(200, get("/videos", "api-key", "sk-test").statusCode());
    }

    @Test
    void remixOfACompletedVideoKeepsItsSettings() throws Exception {
        String id = json(200, postJson("/videos", "{\"prompt\":\"base\",\"seconds\":\"8\"}")).get("id").asText();
        assertError(400, null, "video_not_ready", postJson("/videos/" + id + "/remix", "{\"prompt\":\"too soon\"}"));
        awaitStatus(id, "completed");

        JsonNode remix = json(200, postJson("/videos/" + id + "/remix", "{\"prompt\":\"now in blue\"}"));
        assertEquals(id, remix.get("remixed_from_video_id").asText());
        assertEquals("now in blue", remix.get("prompt").asText());
        assertEquals("8", remix.get("seconds").asText());
        assertNotEquals(id, remix.get("id").asText());
        assertError(404, null, "not_found", postJson("/videos/video_unknown/remix", "{\"prompt\":\"x\"}"));
    }

    @Test
    void deletedVideoIsGoneAndUnknownRoutesAre404() throws Exception {
        String id = json(200, postJson("/videos", "{\"prompt\":\"temporary\"}")).get("id").asText();
        HttpResponse<String> deleted = HTTP.send(request("/videos/" + id).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body = json(200, deleted);
        assertEquals(id, body.get("id").asText());
        assertEquals("video.deleted", body.get("object").asText());
        assertTrue(body.get("deleted").asBoolean());
        assertError(404, null, "not_found", get("/videos/" + id));
        assertEquals(0, json(200, get("/videos")).get("data").size());

        HttpResponse<String> unknown = get("/models");
        assertEquals(404, unknown.statusCode());
        assertEquals("invalid_request_error", JSON.readTree(unknown.body()).get("error").get("type").asText());
    }

    @Test
    void sustainsHundredsOfRequestsPerSecondFromConcurrentClients() throws Exception {
        int clients = 4;
        int rounds = 150;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long started = System.nanoTime();
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                runs.add(pool.submit(() -> {
                    for (int i = 0; i < rounds; i++) {
                        String id = json(200, postJson("/videos", "{\"prompt\":\"load\"}")).get("id").asText();
                        json(200, get("/videos/" + id));
                    }
                    return null;
                }));
            }
            for (Future<?> run : runs) {
                run.get(30, SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        // 1200 requests; a 40 ms delayed-ACK stall per response (Nagle left on) would need about 12 s
        assertTrue(elapsed.compareTo(Duration.ofSeconds(6)) < 0, "took " + elapsed);
        assertEquals(clients * rounds, server.stats().jobsCreated("load"));
        assertEquals(clients * rounds, server.stats().statusCalls());
        assertEquals(clients * rounds, server.stats().createTimes().size());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).timeout(Duration.ofSeconds(10));
    }

    private HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder builder = request(path);
        if (headers.length > 0) {
            builder.headers(headers);
        }
        return HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> postJson(String path, String json) throws IOException, InterruptedException {
        return HTTP.send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Encoded by the HTTP client library the pipeline uses, so the parser is checked against its framing. */
    private HttpResponse<String> createMultipart(String prompt, String seconds, byte[] image)
            throws IOException, InterruptedException {
        HttpEntity entity = MultipartEntityBuilder.create()
                .addTextBody("prompt", prompt, ContentType.TEXT_PLAIN.withCharset(StandardCharsets.UTF_8))
                .addTextBody("seconds", seconds)
                .addBinaryBody("input_reference", image, ContentType.create("image/webp"), "reference.webp")
                .build();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        entity.writeTo(body);
        return HTTP.send(request("/videos").header("Content-Type", entity.getContentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode awaitStatus(String id, String status) {
        AtomicReference<JsonNode> video = new AtomicReference<>();
        await().atMost(5, SECONDS).pollInterval(20, MILLISECONDS).until(() -> {
            video.set(json(200, get("/videos/" + id)));
            return video.get().get("status").asText().equals(status);
        });
        return video.get();
    }

    private static JsonNode json(int expectedStatus, HttpResponse<String> response) throws IOException {
        assertEquals(expectedStatus, response.statusCode(), response.body());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElseThrow());
        return JSON.readTree(response.body());
    }

    private static void assertError(int status, String param, String code, HttpResponse<String> response)
            throws IOException {
        JsonNode error = json(status, response).get("error");
        assertEquals(code, error.get("code").asText());
        assertEquals(param, error.get("param").isNull() ? null : error.get("param").asText());
        assertFalse(error.get("message").asText().isBlank());
        assertFalse(error.get("type").asText().isBlank());
    }

    private static List<String> idsOf(JsonNode list) {
        List<String> ids = new ArrayList<>();
        list.get("data").forEach(video -> ids.add(video.get("id").asText()));
        return ids;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}

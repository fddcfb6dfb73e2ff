package dev.sorabatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.h2.tools.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Health through Camel's health checks, on a store reached over the network that then goes away. */
class HealthTest {

    @Test
    void readinessTurnsDownWhenTheStoreIsGoneWhileLivenessStaysUp(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("inbox"));
        Server h2 = Server.createTcpServer("-tcpPort", "0", "-baseDir", dir.resolve("db").toString(), "-ifNotExists")
                .start();
        try (Pipeline p = Pipeline.start(dir, Map.of("sora.http.enabled", "true", "sora.http.port", "0",
                "sora.http.health-timeout", "1s",
                "sora.store.url", "jdbc:h2:tcp://127.0.0.1:" + h2.getPort() + "/sora;WRITE_DELAY=0"))) {
            HttpClientFixture http = new HttpClientFixture(p);
            await().atMost(Duration.ofSeconds(20)).until(() -> http.get("/observe/health/ready").statusCode() == 200);
            JsonNode ready = Pipeline.JSON.readTree(http.get("/observe/health/ready").body());
            assertThat(ready.path("status").asText()).isEqualTo("UP");
            assertThat(ready.path("checks").findValuesAsText("name")).contains("store", "provider", "input");

            // no token configured: the mutating calls are refused, whoever asks
            HttpResponse<String> refused = http.post("/api/batches/any/cancel", "guess");
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(refused.body()).contains("no sora.http.token is configured");

            h2.stop();

            await().atMost(Duration.ofSeconds(20)).until(() -> http.get("/observe/health/ready").statusCode() == 503);
            JsonNode down = Pipeline.JSON.readTree(http.get("/observe/health/ready").body());
            assertThat(down.path("status").asText()).isEqualTo("DOWN");
            JsonNode store = find(down, "store");
            assertThat(store.path("status").asText()).isEqualTo("DOWN");
            assertThat(store.path("message").asText()).isNotBlank();
            assertThat(find(down, "input").path("status").asText()).isEqualTo("UP");
            assertThat(http.get("/observe/health/live").statusCode()).isEqualTo(200);
            assertThat(http.get("/observe/health").statusCode()).isEqualTo(503);
        } finally {
            h2.stop();
        }
    }

    private static JsonNode find(JsonNode health, String name) {
        for (JsonNode check : health.path("checks")) {
            if (check.path("name").asText().equals(name)) {
                return check;
            }
        }
        throw new AssertionError("no check " + name + " in " + health);
    }
}

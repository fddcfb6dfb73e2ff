package dev.sorabatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sorabatch.store.NewItem;
import dev.sorabatch.store.IngestTransaction;

/** input_reference written to break the pipeline or to read what it must not: refused, and nothing loops. */
class HostileReferencesTest {

    private static final byte[] PNG = Base64.getDecoder().decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==");

    @Test
    void malformedReferencesRejectTheirRowAndTheBatchEnds(@TempDir Path dir) throws Exception {
        try (Pipeline p = Pipeline.start(dir, Map.of())) {
            p.drop("broken.jsonl", """
                    {"id": "no-type", "prompt": "A lake", "input_reference": "data:;base64,AAAA"}
                    {"id": "not-base64", "prompt": "A hill", "input_reference": "data:image/png;base64,@@@"}
                    {"id": "space", "prompt": "A road", "input_reference": "https://x/a b.png"}
                    {"id": "fine", "prompt": "A field", "input_reference": "data:image/png;base64,%s"}
                    """.formatted(Base64.getEncoder().encodeToString(PNG)));

            JsonNode items = EndToEndTest.index(p.awaitManifest("broken", Duration.ofSeconds(60)));
            assertThat(items.path("no-type").path("status").asText()).isEqualTo("rejected");
            assertThat(items.path("no-type").path("error").path("message").asText()).contains("image type");
            assertThat(items.path("not-base64").path("status").asText()).isEqualTo("rejected");
            assertThat(items.path("not-base64").path("error").path("message").asText()).contains("base64");
            assertThat(items.path("space").path("status").asText()).isEqualTo("rejected");
            assertThat(items.path("space").path("error").path("message").asText()).contains("percent-encoded");
            assertThat(items.path("fine").path("status").asText()).isEqualTo("stored");
            assertThat(p.simulator().stats().createRequests()).isEqualTo(1);
        }
    }

    /** An item whose request cannot be built (as one stored before these checks could be) fails and is not resent. */
    @Test
    void aRequestThatCannotBeBuiltFailsItsItemWithoutACreate(@TempDir Path dir) throws Exception {
        try (Pipeline p = Pipeline.start(dir, Map.of())) {
            try (IngestTransaction tx = p.store().batches().beginIngest("stored-earlier.csv", "simulator", "openai", 30_000)) {
                tx.add(new NewItem(1, "old", "old", "old", 1, "A harbour at dusk", "sora-2", 4, "720x1280", null,
                        "data:;base64,AAAA", "{}", null));
                tx.flush();
                tx.open("stored-earlier", "sha-of-stored-earlier");
            }

            JsonNode item = p.awaitManifest("stored-earlier", Duration.ofSeconds(60)).path("items").get(0);
            assertThat(item.path("status").asText()).isEqualTo("failed");
            assertThat(item.path("error").path("message").asText()).contains("input_reference", "image type");
            assertThat(p.simulator().stats().createRequests()).isZero();
        }
    }

    @Test
    void referencesCannotReadFilesOrNetworkTheyShouldNot(@TempDir Path dir) throws Exception {
        AtomicInteger fetched = new AtomicInteger();
        HttpServer internal = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        internal.createContext("/", exchange -> {
            fetched.incrementAndGet();
            exchange.sendResponseHeaders(200, PNG.length);
            exchange.getResponseBody().write(PNG);
            exchange.close();
        });
        internal.start();
        String host = "127.0.0.1:" + internal.getAddress().getPort();
        // listed, yet loopback: never fetched
        try (Pipeline p = Pipeline.start(dir, Map.of("sora.input-reference.allow-urls", "localhost, 127.0.0.1",
                "sora.retry.max-attempts", "2"))) {
            Path images = Files.createDirectories(p.inbox().resolve("images"));
            Files.write(images.resolve("ok.png"), PNG);
            Path outside = Files.createDirectories(dir.resolve("outside"));
            Files.write(outside.resolve("passwd"), PNG); // an image, so only the link rule can stop it
            Files.createSymbolicLink(images.resolve("link"), outside);
            Files.createSymbolicLink(images.resolve("passwd.png"), outside.resolve("passwd"));
            p.drop("hostile.csv", String.join("\n", "id,prompt,input_reference",
                    "ok,A pier,images/ok.png",
                    "dir-link,A cave,images/link/passwd",
                    "file-link,A cliff,images/passwd.png",
                    "http,A dune,http://" + host + "/a.png",
                    "http-upper,A reef,HTTP://" + host + "/a.png",
                    "userinfo,A glacier,https://user:hunter2@" + host + "/a.png",
                    "loopback,A valley,https://" + host + "/a.png",
                    "named-loopback,A canyon,https://localhost:" + internal.getAddress().getPort() + "/a.png",
                    "bucket,A marsh,s3://other-bucket/images/a.png",
                    "file-scheme,A fjord,file:///etc/passwd") + "\n");

            JsonNode items = EndToEndTest.index(p.awaitManifest("hostile", Duration.ofSeconds(60)));
            assertThat(items.path("ok").path("status").asText()).isEqualTo("stored");
            for (String id : new String[]{"dir-link", "file-link"}) {
                assertThat(items.path(id).path("status").asText()).as(id).isEqualTo("rejected");
                assertThat(items.path(id).path("error").path("message").asText()).as(id).contains("inside the input folder");
            }
            for (String id : new String[]{"http", "http-upper", "userinfo", "bucket", "file-scheme"}) {
                assertThat(items.path(id).path("status").asText()).as(id).isEqualTo("rejected");
            }
            assertThat(items.path("userinfo").path("error").path("message").asText()).doesNotContain("hunter2");
            assertThat(items.path("bucket").path("error").path("message").asText()).contains("allow-buckets");
            for (String id : new String[]{"loopback", "named-loopback"}) {
                assertThat(items.path(id).path("status").asText()).as(id).isEqualTo("failed");
                assertThat(items.path(id).path("error").path("message").asText()).as(id)
                        .contains("input_reference could not be fetched");
            }
            assertThat(fetched).hasValue(0);
            assertThat(p.simulator().stats().createRequests()).isEqualTo(1);
        } finally {
            internal.stop(0);
        }
    }
}

package dev.sorabatch.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading references at submit time; URLs against a loopback server that stands in for an image host. */
class InputReferencesTest {

    private static final ReferencePolicy LOOPBACK_LISTED = new ReferencePolicy(Set.of("127.0.0.1", "localhost"),
            Set.of(), 1024);

    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private HttpServer server;
    private String base;

    @BeforeEach
    void imageHost() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            switch (path) {
                case "/a.png" -> {
                    exchange.sendResponseHeaders(200, ReferenceResolverTest.PNG.length);
                    exchange.getResponseBody().write(ReferenceResolverTest.PNG);
                }
                case "/redirect" -> {
                    exchange.getResponseHeaders().set("Location", base + "/a.png");
                    exchange.sendResponseHeaders(302, -1);
                }
                case "/huge.png" -> {
                    exchange.sendResponseHeaders(200, 0); // chunked: no length to refuse it by
                    exchange.getResponseBody().write(new byte[4096]);
                }
                case "/error" -> exchange.sendResponseHeaders(500, -1);
                default -> exchange.sendResponseHeaders(404, -1);
            }
            exchange.close();
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private int hits(String path) {
        return hits.getOrDefault(path, new AtomicInteger()).get();
    }

    @Test
    void aListedLoopbackHostIsNeverContacted() throws IOException {
        InputReferences references = new InputReferences(() -> null, LOOPBACK_LISTED);
        String port = ":" + server.getAddress().getPort();
        assertThatThrownBy(() -> references.read("https://127.0.0.1" + port + "/a.png")).hasMessage(UrlFetcher.FAILURE);
        assertThatThrownBy(() -> references.read("https://localhost" + port + "/a.png")).hasMessage(UrlFetcher.FAILURE);
        // the address check comes before any connection, whatever the scheme: over plain HTTP a request would show
        assertThatThrownBy(() -> new UrlFetcher().fetch(URI.create(base + "/a.png"), LOOPBACK_LISTED))
                .hasMessage(UrlFetcher.FAILURE);
        assertThat(hits).isEmpty();
        assertThat(new UrlFetcher(address -> true).fetch(URI.create(base + "/a.png"), LOOPBACK_LISTED))
                .isEqualTo(ReferenceResolverTest.PNG); // the fixture itself works
    }

    @Test
    void redirectsAreNotFollowed() {
        UrlFetcher anywhere = new UrlFetcher(address -> true);
        assertThatThrownBy(() -> anywhere.fetch(URI.create(base + "/redirect"), LOOPBACK_LISTED)).hasMessage(UrlFetcher.FAILURE);
        assertThat(hits("/redirect")).isEqualTo(1);
        assertThat(hits("/a.png")).isZero();
    }

    @Test
    void everyNetworkFailureReadsTheSame() throws Exception {
        UrlFetcher anywhere = new UrlFetcher(address -> true);
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        try (ServerSocket notTls = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread answer = new Thread(() -> {
                try (Socket client = notTls.accept()) {
                    client.getOutputStream().write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes());
                } catch (IOException ignored) {
                    // the client went first
                }
            });
            answer.start();
            for (String url : new String[]{base + "/missing.png", base + "/error", "http://127.0.0.1:" + closedPort + "/a.png",
                    "https://127.0.0.1:" + notTls.getLocalPort() + "/a.png", "https://no-such-host.invalid/a.png"}) {
                assertThatThrownBy(() -> anywhere.fetch(URI.create(url), LOOPBACK_LISTED)).as(url)
                        .isNotInstanceOf(InputReferences.Unusable.class).hasMessage(UrlFetcher.FAILURE);
            }
            answer.join();
        }
    }

    @Test
    void aBodyOverTheCapIsRefusedWhileItStreams() {
        assertThatThrownBy(() -> new UrlFetcher(address -> true).fetch(URI.create(base + "/huge.png"), LOOPBACK_LISTED))
                .isInstanceOf(InputReferences.Unusable.class).hasMessageContaining("larger than 1024 bytes");
    }

    @Test
    void imagesAreRecognisedByTheirBytesNotTheirName(@TempDir Path dir) throws IOException {
        InputReferences references = new InputReferences(() -> null, ReferencePolicy.DEFAULT);
        Path fake = Files.writeString(dir.resolve("fake.png"), "#!/bin/sh").toRealPath();
        Path webp = Files.write(dir.resolve("named.png"), new byte[]{'R', 'I', 'F', 'F', 4, 0, 0, 0, 'W', 'E', 'B', 'P'})
                .toRealPath();
        assertThatThrownBy(() -> references.read(fake.toString())).isInstanceOf(InputReferences.Unusable.class)
                .hasMessageContaining("not a PNG, JPEG, WebP or GIF image");
        assertThat(references.read(webp.toString()).contentType()).isEqualTo("image/webp");
        assertThat(references.read(ReferenceResolverTest.PNG_DATA_URL).contentType()).isEqualTo("image/png");
    }

    @Test
    void aLinkPutInPlaceAfterIngestIsRefused(@TempDir Path dir) throws IOException {
        Path inbox = Files.createDirectories(dir.resolve("inbox"));
        Files.write(inbox.resolve("cat.png"), ReferenceResolverTest.PNG);
        String resolved = ReferenceResolver.folder(inbox).resolve("cat.png", ReferencePolicy.DEFAULT);
        Path secret = Files.write(dir.resolve("secret.png"), ReferenceResolverTest.PNG);
        Files.delete(inbox.resolve("cat.png"));
        Files.createSymbolicLink(inbox.resolve("cat.png"), secret);

        assertThatThrownBy(() -> new InputReferences(() -> null, ReferencePolicy.DEFAULT).read(resolved))
                .isInstanceOf(InputReferences.Unusable.class).hasMessageContaining("link");
    }

    @Test
    void referencesStoredBeforeTheRulesAreCheckedAgain() {
        InputReferences references = new InputReferences(() -> null, ReferencePolicy.DEFAULT);
        assertThatThrownBy(() -> references.read("data:;base64,AAAA")).isInstanceOf(InputReferences.Unusable.class)
                .hasMessageContaining("image type");
        assertThatThrownBy(() -> references.read(base + "/a.png")).isInstanceOf(InputReferences.Unusable.class)
                .hasMessageContaining("http://");
        assertThatThrownBy(() -> references.read("https://x/a b.png")).isInstanceOf(InputReferences.Unusable.class);
        assertThat(hits).isEmpty();
    }
}

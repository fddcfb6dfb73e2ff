package dev.sorabatch.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sorabatch.aws.AwsClients;
import dev.sorabatch.aws.S3Server;
import dev.sorabatch.aws.TestAws;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The bucket store through a real Camel aws2-s3 producer against the in-process S3 server. */
class BucketOutputStoreTest {

    private static final int MB = 1024 * 1024;
    private static final String BUCKET = "media";

    private static S3Server server;
    private static S3Client s3;
    private static CamelContext camel;
    private static ProducerTemplate producer;

    /** S3 calls the producer made, in order, and how much of the current source had been read at each part. */
    private static final List<String> calls = new CopyOnWriteArrayList<>();
    private static final List<Long> readBeforePart = new CopyOnWriteArrayList<>();
    private static volatile Generated source;

    @TempDir
    Path temp;

    @BeforeAll
    static void start() throws Exception {
        server = S3Server.inMemory().start();
        s3 = TestAws.clients(server, null).s3();
        s3.createBucket(b -> b.bucket(BUCKET));
        camel = camelWith(recording(s3));
        producer = camel.createProducerTemplate();
    }

    @AfterAll
    static void stop() throws Exception {
        camel.close();
        s3.close();
        server.close();
    }

    @BeforeEach
    void forget() {
        calls.clear();
        readBeforePart.clear();
        source = null;
    }

    private BucketOutputStore store(String prefix) {
        return new BucketOutputStore(producer, BUCKET, prefix, 5, temp.resolve("spool"));
    }

    @Test
    void smallObjectIsOnePutWithTypeSizeAndHash() throws IOException {
        byte[] body = "not really a video".getBytes(StandardCharsets.UTF_8);
        BucketOutputStore store = store("sora/out");

        StoredObject stored = store.write("b1", "videos/x.mp4", new ByteArrayInputStream(body), body.length, "video/mp4");

        assertThat(stored).isEqualTo(new StoredObject("videos/x.mp4", body.length, sha256(body)));
        assertThat(calls).containsExactly("putObject");
        HeadObjectResponse head = s3.headObject(b -> b.bucket(BUCKET).key("sora/out/b1/videos/x.mp4"));
        assertThat(head.contentType()).isEqualTo("video/mp4");
        assertThat(head.contentLength()).isEqualTo(body.length);
        assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("sora/out/b1/videos/x.mp4")).asByteArray())
                .isEqualTo(body);
        assertThat(store.location("b1", "videos/x.mp4")).isEqualTo("s3://media/sora/out/b1/videos/x.mp4");
    }

    @Test
    void largeObjectIsStreamedPartByPart() throws IOException {
        long size = 12L * MB + 345;
        source = new Generated(size, 7);

        StoredObject stored = store("streamed").write("b1", "videos/big.mp4", source, size, "video/mp4");

        assertThat(calls).containsExactly("createMultipartUpload", "uploadPart", "uploadPart", "uploadPart",
                "completeMultipartUpload");
        // each part is read from the source as it is sent: nothing beyond a small buffer is read ahead into memory
        assertThat(readBeforePart).hasSize(3);
        for (int part = 0; part < 3; part++) {
            assertThat(readBeforePart.get(part)).isBetween(part * 5L * MB, part * 5L * MB + 256 * 1024);
        }
        assertThat(stored).isEqualTo(new StoredObject("videos/big.mp4", size, sha256(new Generated(size, 7))));
        HeadObjectResponse head = s3.headObject(b -> b.bucket(BUCKET).key("streamed/b1/videos/big.mp4"));
        assertThat(head.eTag().replace("\"", "")).endsWith("-3");
        assertThat(head.contentLength()).isEqualTo(size);
        assertThat(head.contentType()).isEqualTo("video/mp4");
        try (InputStream in = s3.getObject(b -> b.bucket(BUCKET).key("streamed/b1/videos/big.mp4"))) {
            assertThat(sha256(in)).isEqualTo(stored.sha256());
        }
    }

    @Test
    void unknownLengthIsSpooledToDiskThenUploaded() throws IOException {
        long size = 11L * MB + 1;
        source = new Generated(size, 11);

        StoredObject stored = store("").write("b2", "videos/unknown.mp4", source, -1, "video/mp4");

        assertThat(calls).containsExactly("createMultipartUpload", "uploadPart", "uploadPart", "uploadPart",
                "completeMultipartUpload");
        assertThat(readBeforePart).containsOnly(size); // all of it was in the spool file before the first part
        assertThat(stored).isEqualTo(new StoredObject("videos/unknown.mp4", size, sha256(new Generated(size, 11))));
        try (InputStream in = s3.getObject(b -> b.bucket(BUCKET).key("b2/videos/unknown.mp4"))) {
            assertThat(sha256(in)).isEqualTo(stored.sha256());
        }
        try (Stream<Path> left = Files.list(temp.resolve("spool"))) {
            assertThat(left).isEmpty();
        }

        byte[] small = "{\"items\":[]}".getBytes(StandardCharsets.UTF_8);
        StoredObject manifest = store("").write("b2", "manifest.json", new ByteArrayInputStream(small), -1,
                "application/json");
        assertThat(manifest).isEqualTo(new StoredObject("manifest.json", small.length, sha256(small)));
        assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("b2/manifest.json")).asByteArray()).isEqualTo(small);
    }

    @Test
    void bodyShorterThanDeclaredFailsAndStoresNothing() {
        BucketOutputStore store = store("short");
        assertThatThrownBy(() -> store.write("b1", "videos/small.mp4", new Generated(600, 1), 1000, "video/mp4"))
                .isInstanceOf(IOException.class).hasMessageContaining("truncated download: got 600 of 1000 bytes");
        assertThatThrownBy(() -> store.write("b1", "videos/big.mp4", new Generated(7L * MB, 1), 12L * MB, "video/mp4"))
                .isInstanceOf(IOException.class).hasMessageContaining("truncated download");

        assertThat(s3.listObjectsV2(b -> b.bucket(BUCKET).prefix("short/")).contents()).isEmpty();
        assertThat(calls).contains("abortMultipartUpload");
        assertThat(s3.listMultipartUploads(b -> b.bucket(BUCKET)).uploads()).isEmpty();
    }

    @Test
    void bodyLongerThanDeclaredFails() {
        assertThatThrownBy(() -> store("long").write("b1", "x.bin", new Generated(1001, 1), 1000, null))
                .isInstanceOf(IOException.class).hasMessageContaining("longer than its declared 1000 bytes");
    }

    @Test
    void missingBucketIsAnIOExceptionWithoutSecrets() {
        BucketOutputStore store = new BucketOutputStore(producer, "no-such-bucket", "p", 5, temp);
        assertThatThrownBy(() -> store.write("b1", "videos/x.mp4", new ByteArrayInputStream(new byte[10]), 10, "video/mp4"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("could not store s3://no-such-bucket/p/b1/videos/x.mp4")
                .hasMessageContaining("404")
                .message().doesNotContain(System.getProperty("aws.secretAccessKey"));
        // unknown length takes the spool path: same outcome, and the spool file is gone
        assertThatThrownBy(() -> store.write("b1", "videos/y.mp4", new ByteArrayInputStream(new byte[10]), -1, "video/mp4"))
                .isInstanceOf(IOException.class).hasMessageContaining("404");
        assertThat(temp.toFile().list()).isEmpty();
    }

    @Test
    void bodyFailingMidwayIsAnIOExceptionAndStoresNothing() {
        InputStream failing = new InputStream() {
            private int n;

            @Override
            public int read() throws IOException {
                if (n++ >= 100) {
                    throw new IOException("connection reset");
                }
                return 'x';
            }
        };
        assertThatThrownBy(() -> store("reset").write("b1", "videos/x.mp4", failing, 1000, "video/mp4"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("download failed after 100 bytes: connection reset")
                .hasMessageContaining("s3://media/reset/b1/videos/x.mp4");
        assertThat(s3.listObjectsV2(b -> b.bucket(BUCKET).prefix("reset/")).contents()).isEmpty();
    }

    @Test
    void serverDownIsAnIOException() throws Exception {
        S3Server gone = S3Server.inMemory().start();
        S3Client client = TestAws.clients(gone, null).s3();
        client.createBucket(b -> b.bucket("gone"));
        try (CamelContext other = camelWith(client)) {
            BucketOutputStore store = new BucketOutputStore(other.createProducerTemplate(), "gone", "", 5, temp);
            assertThat(store.write("b1", "a.txt", new ByteArrayInputStream(new byte[3]), 3, "text/plain").bytes())
                    .isEqualTo(3);
            gone.close();
            assertThatThrownBy(() -> store.write("b1", "b.txt", new ByteArrayInputStream(new byte[3]), 3, "text/plain"))
                    .isInstanceOf(IOException.class).hasMessageContaining("could not store s3://gone/b1/b.txt")
                    .hasMessageContaining("Connection refused");
        } finally {
            client.close();
            gone.close();
        }
    }

    @Test
    void serverErrorIsAnIOException() throws Exception {
        // accepts the bucket check, starting and aborting multipart uploads; fails every PUT (object or part)
        HttpServer failing = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        List<String> requests = new CopyOnWriteArrayList<>();
        failing.createContext("/", exchange -> {
            String method = exchange.getRequestMethod();
            requests.add(method);
            exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
            switch (method) {
                case "HEAD", "DELETE" -> exchange.sendResponseHeaders(method.equals("HEAD") ? 200 : 204, -1);
                case "POST" -> respond(exchange, 200, "<InitiateMultipartUploadResult><Bucket>media</Bucket>"
                        + "<Key>k</Key><UploadId>u1</UploadId></InitiateMultipartUploadResult>");
                default -> respond(exchange, 500,
                        "<Error><Code>InternalError</Code><Message>We encountered an internal error.</Message></Error>");
            }
            exchange.close();
        });
        failing.start();
        TestAws.useTestCredentials();
        S3Client client = new AwsClients(TestAws.REGION, "http://127.0.0.1:" + failing.getAddress().getPort(), "", true)
                .s3();
        try (CamelContext other = camelWith(client)) {
            BucketOutputStore store = new BucketOutputStore(other.createProducerTemplate(), "media", "", 5, temp);
            // a short streamed body is kept for the SDK's own retries
            assertThatThrownBy(() -> store.write("b1", "a.txt", new ByteArrayInputStream(new byte[3]), 3, "text/plain"))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("could not store s3://media/b1/a.txt: We encountered an internal error.")
                    .hasMessageContaining("Status Code: 500");
            assertThat(requests).filteredOn("PUT"::equals).hasSizeGreaterThan(1);

            // a part of a streamed body cannot be re-sent: one attempt, then the upload is aborted
            requests.clear();
            assertThatThrownBy(() -> store.write("b1", "b.mp4", new Generated(6L * MB, 3), 6L * MB, "video/mp4"))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("could not store s3://media/b1/b.mp4: a request failed after " + 5 * MB
                            + " bytes of the streamed body had been sent");
            assertThat(requests).containsExactly("POST", "PUT", "DELETE");

            // a spooled body can always be re-sent, a whole object or a part
            for (long size : new long[] {MB, 6L * MB}) {
                requests.clear();
                assertThatThrownBy(() -> store.write("b1", "c.mp4", new Generated(size, 3), -1, "video/mp4"))
                        .isInstanceOf(IOException.class)
                        .hasMessageContaining("could not store s3://media/b1/c.mp4: We encountered an internal error.");
                assertThat(requests).filteredOn("PUT"::equals).hasSizeGreaterThan(1);
            }
            assertThat(requests).startsWith("POST").endsWith("DELETE");
        } finally {
            client.close();
            failing.stop(0);
        }
    }

    private static void respond(HttpExchange exchange, int status, String xml) throws IOException {
        byte[] body = xml.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    @Test
    void keysWithSpacesAndNonAsciiCharacters() throws IOException {
        byte[] body = "clip".getBytes(StandardCharsets.UTF_8);
        BucketOutputStore store = store("my prefix");

        store.write("b1", "videos/clip é 東京 +1.mp4", new ByteArrayInputStream(body), body.length, "video/mp4");

        String key = "my prefix/b1/videos/clip é 東京 +1.mp4";
        assertThat(s3.listObjectsV2(b -> b.bucket(BUCKET).prefix("my prefix/")).contents()).extracting(S3Object::key)
                .containsExactly(key);
        assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray()).isEqualTo(body);
        assertThat(store.location("b1", "videos/clip é 東京 +1.mp4")).isEqualTo("s3://media/" + key);
    }

    @Test
    void pathsCannotLeaveTheBatchFolder() {
        BucketOutputStore store = store("p");
        assertThatThrownBy(() -> store.write("b1", "../b2/videos/x.mp4", InputStream.nullInputStream(), 0, "video/mp4"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.write("..", "x.mp4", InputStream.nullInputStream(), 0, "video/mp4"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.write("b1", "/x.mp4", InputStream.nullInputStream(), 0, "video/mp4"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(calls).isEmpty();
        assertThatThrownBy(() -> s3.headObject(b -> b.bucket(BUCKET).key("p/b2/videos/x.mp4")))
                .isInstanceOf(NoSuchKeyException.class);
    }

    @Test
    void settingsAreParsedAndChecked() {
        assertThat(BucketOutputStore.forUri(producer, "s3://media/sora/out/", 8, temp).location("b1", "m.json"))
                .isEqualTo("s3://media/sora/out/b1/m.json");
        assertThat(BucketOutputStore.forUri(producer, "s3://media", 8, temp).location("b1", "m.json"))
                .isEqualTo("s3://media/b1/m.json");
        assertThatThrownBy(() -> BucketOutputStore.forUri(producer, "file:/tmp/out", 8, temp))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BucketOutputStore.forUri(producer, "s3:///prefix", 8, temp))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BucketOutputStore(producer, BUCKET, "", 4, temp))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 5 MB");
    }

    private static CamelContext camelWith(S3Client client) {
        CamelContext context = new DefaultCamelContext();
        context.getRegistry().bind(BucketOutputStore.CLIENT_BEAN, client);
        context.start();
        return context;
    }

    /** The real client, noting each S3 call and, at each part, how much of the current source had been read. */
    private static S3Client recording(S3Client real) {
        return (S3Client) Proxy.newProxyInstance(S3Client.class.getClassLoader(), new Class<?>[] {S3Client.class},
                (proxy, method, args) -> {
                    if (method.getDeclaringClass() == S3Client.class && !method.getName().equals("close")
                            && !method.getName().equals("headBucket")) {
                        calls.add(method.getName());
                    }
                    if (method.getName().equals("uploadPart") && source != null) {
                        readBeforePart.add(source.position);
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static String sha256(byte[] bytes) {
        MessageDigest digest = Hashing.sha256();
        digest.update(bytes);
        return Hashing.hex(digest);
    }

    private static String sha256(InputStream in) throws IOException {
        DigestInputStream digest = new DigestInputStream(in, Hashing.sha256());
        digest.transferTo(OutputStream.nullOutputStream());
        return Hashing.hex(digest.getMessageDigest());
    }

    /** {@code size} reproducible pseudo-random bytes, made as they are read; knows how far it has been read. */
    private static final class Generated extends InputStream {

        private final long size;
        private final long seed;
        private volatile long position;

        Generated(long size, long seed) {
            this.size = size;
            this.seed = seed;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (position >= size) {
                return -1;
            }
            int n = (int) Math.min(length, size - position);
            long p = position;
            for (int i = 0; i < n; i++, p++) {
                long x = (p + seed) * 0x9E3779B97F4A7C15L;
                buffer[offset + i] = (byte) (x >>> 56);
            }
            position = p;
            return n;
        }
    }
}

package dev.sorabatch.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The S3 test server against the application's own client settings, in both of its storage modes. */
class S3ServerTest {

    @TempDir
    Path dir;

    private S3Server server;
    private S3Client s3;

    private void start(String mode) throws Exception {
        server = (mode.equals("disk") ? S3Server.onDisk(dir) : S3Server.inMemory()).start();
        s3 = TestAws.clients(server, null).s3();
        s3.createBucket(b -> b.bucket("media"));
    }

    @AfterEach
    void stop() {
        if (s3 != null) {
            s3.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "disk"})
    void putGetListCopyDelete(String mode) throws Exception {
        start(mode);
        s3.putObject(b -> b.bucket("media").key("a/one.txt").contentType("text/plain"), RequestBody.fromString("one"));
        s3.putObject(b -> b.bucket("media").key("a/two.txt"), RequestBody.fromString("two"));

        var got = s3.getObjectAsBytes(b -> b.bucket("media").key("a/one.txt"));
        assertThat(got.asUtf8String()).isEqualTo("one");
        assertThat(got.response().contentType()).isEqualTo("text/plain");
        assertThat(got.response().contentLength()).isEqualTo(3);

        s3.copyObject(b -> b.sourceBucket("media").sourceKey("a/one.txt").destinationBucket("media").destinationKey("b/copy.txt"));
        assertThat(s3.getObjectAsBytes(b -> b.bucket("media").key("b/copy.txt")).asUtf8String()).isEqualTo("one");
        assertThat(keys(s3.listObjectsV2(b -> b.bucket("media")))).containsExactly("a/one.txt", "a/two.txt", "b/copy.txt");

        s3.deleteObject(b -> b.bucket("media").key("a/one.txt"));
        assertThat(keys(s3.listObjectsV2(b -> b.bucket("media").prefix("a/")))).containsExactly("a/two.txt");
        assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket("media").key("a/one.txt")))
                .isInstanceOf(NoSuchKeyException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "disk"})
    void multipartUpload(String mode) throws Exception {
        start(mode);
        byte[] part1 = random(5 * 1024 * 1024, 1);
        byte[] part2 = random(5 * 1024 * 1024, 2);
        byte[] part3 = random(1234, 3);
        String upload = s3.createMultipartUpload(b -> b.bucket("media").key("big.bin").contentType("video/mp4")).uploadId();
        List<CompletedPart> parts = new ArrayList<>();
        int n = 1;
        for (byte[] part : List.of(part1, part2, part3)) {
            int number = n++;
            String etag = s3.uploadPart(b -> b.bucket("media").key("big.bin").uploadId(upload).partNumber(number),
                    RequestBody.fromBytes(part)).eTag();
            parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
        }
        String etag = s3.completeMultipartUpload(b -> b.bucket("media").key("big.bin").uploadId(upload)
                .multipartUpload(m -> m.parts(parts))).eTag();

        assertThat(etag.replace("\"", "")).endsWith("-3");
        var got = s3.getObjectAsBytes(b -> b.bucket("media").key("big.bin"));
        byte[] expected = new byte[part1.length + part2.length + part3.length];
        System.arraycopy(part1, 0, expected, 0, part1.length);
        System.arraycopy(part2, 0, expected, part1.length, part2.length);
        System.arraycopy(part3, 0, expected, part1.length + part2.length, part3.length);
        assertThat(got.asByteArray()).isEqualTo(expected);
        assertThat(got.response().contentType()).isEqualTo("video/mp4");
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "disk"})
    void listWithDelimiterGroupsByFolder(String mode) throws Exception {
        start(mode);
        for (String key : List.of("batch-1/manifest.json", "batch-1/videos/a.mp4", "batch-1/videos/b.mp4",
                "batch-1/thumbnails/a.webp", "batch-2/videos/c.mp4", "top.txt")) {
            s3.putObject(b -> b.bucket("media").key(key), RequestBody.fromString(key));
        }
        ListObjectsV2Response root = s3.listObjectsV2(b -> b.bucket("media").delimiter("/"));
        assertThat(prefixes(root)).containsExactly("batch-1/", "batch-2/");
        assertThat(keys(root)).containsExactly("top.txt");

        ListObjectsV2Response batch = s3.listObjectsV2(b -> b.bucket("media").prefix("batch-1/").delimiter("/"));
        assertThat(prefixes(batch)).containsExactly("batch-1/thumbnails/", "batch-1/videos/");
        assertThat(keys(batch)).containsExactly("batch-1/manifest.json");
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "disk"})
    void keysWithSpacesAndNonAsciiRoundTrip(String mode) throws Exception {
        start(mode);
        List<String> keys = List.of("out/my batch/videos/a b+c.mp4", "out/élan/vidéo 東京 ü.mp4", "out/x/100% sure?.mp4");
        for (String key : keys) {
            s3.putObject(b -> b.bucket("media").key(key), RequestBody.fromString(key, StandardCharsets.UTF_8));
        }
        for (String key : keys) {
            assertThat(s3.getObjectAsBytes(b -> b.bucket("media").key(key)).asUtf8String()).isEqualTo(key);
        }
        assertThat(keys(s3.listObjectsV2(b -> b.bucket("media").prefix("out/")))).containsExactlyInAnyOrderElementsOf(keys);
        assertThat(prefixes(s3.listObjectsV2(b -> b.bucket("media").prefix("out/").delimiter("/"))))
                .containsExactlyInAnyOrder("out/my batch/", "out/élan/", "out/x/");
    }

    private static List<String> keys(ListObjectsV2Response list) {
        return list.contents().stream().map(S3Object::key).toList();
    }

    private static List<String> prefixes(ListObjectsV2Response list) {
        return list.commonPrefixes().stream().map(CommonPrefix::prefix).toList();
    }

    static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}

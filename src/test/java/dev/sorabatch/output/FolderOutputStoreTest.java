package dev.sorabatch.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderOutputStoreTest {

    @Test
    void writesAtomicallyAndReportsSizeAndSha256(@TempDir Path root) throws IOException {
        FolderOutputStore store = new FolderOutputStore(root);
        byte[] body = "not really a video".getBytes(StandardCharsets.UTF_8);
        StoredObject stored = store.write("b1", "videos/x.mp4", new ByteArrayInputStream(body), body.length, "video/mp4");

        assertThat(stored.bytes()).isEqualTo(body.length);
        java.security.MessageDigest digest = Hashing.sha256();
        digest.update(body);
        assertThat(stored.sha256()).isEqualTo(Hashing.hex(digest));
        assertThat(Files.readAllBytes(root.resolve("b1/videos/x.mp4"))).isEqualTo(body);
        try (Stream<Path> files = Files.list(root.resolve("b1/videos"))) {
            assertThat(files).hasSize(1); // no temporary file left behind
        }
    }

    @Test
    void aBrokenStreamLeavesNothingBehind(@TempDir Path root) {
        FolderOutputStore store = new FolderOutputStore(root);
        InputStream failing = new InputStream() {
            private int n;

            @Override
            public int read() throws IOException {
                if (n++ > 10) {
                    throw new IOException("connection reset");
                }
                return 'x';
            }
        };
        assertThatThrownBy(() -> store.write("b1", "videos/y.mp4", failing, -1, "video/mp4")).isInstanceOf(IOException.class);
        assertThat(root.resolve("b1/videos/y.mp4")).doesNotExist();
        assertThat(root.resolve("b1/videos").toFile().list()).isEmpty();
    }

    @Test
    void pathsCannotLeaveTheBatchFolder(@TempDir Path root) {
        FolderOutputStore store = new FolderOutputStore(root);
        assertThatThrownBy(() -> store.write("b1", "../b2/videos/x.mp4", InputStream.nullInputStream(), 0, "video/mp4"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.write("..", "x.mp4", InputStream.nullInputStream(), 0, "video/mp4"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

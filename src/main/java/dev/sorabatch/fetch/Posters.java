package dev.sorabatch.fetch;

import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.apache.commons.io.input.TeeInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sorabatch.output.OutputStore;

/**
 * Posters for videos whose provider serves no thumbnail: the video's download is copied to a temporary file on its
 * way to the output, and {@link PosterFrame} makes {@code thumbnails/<key>.jpg} of its first frame. When that fails
 * there is no thumbnail, never a failed item.
 */
public final class Posters {

    private static final Logger LOG = LoggerFactory.getLogger(Posters.class);

    private final PosterFrame frames;
    private final Path tempDir;

    /** @param tempDir where the copies are kept while their poster is made (the working folder's tmp) */
    public Posters(PosterFrame frames, Path tempDir) {
        this.frames = frames;
        this.tempDir = tempDir;
    }

    /** The temporary copy of one video, deleted on close. */
    public static final class Copy implements Closeable {
        private final Path file;
        private OutputStream out;

        private Copy(Path file) {
            this.file = file;
        }

        /** The body as the output reads it, every byte also written to the copy. */
        InputStream tee(InputStream body) throws IOException {
            out = Files.newOutputStream(file);
            return new TeeInputStream(body, out, true);
        }

        /** The copy, complete: the download has been read to its end. */
        Path finished() throws IOException {
            if (out != null) {
                out.close();
            }
            return file;
        }

        @Override
        public void close() throws IOException {
            finished();
            Files.deleteIfExists(file);
        }
    }

    Copy copy(String key) throws IOException {
        Files.createDirectories(tempDir);
        return new Copy(Files.createTempFile(tempDir, "poster-", ".mp4"));
    }

    /** The poster's path in the output, or null when none could be made or stored. */
    String store(Copy copy, OutputStore output, String batch, String key) throws IOException {
        Optional<PosterFrame.Poster> poster = frames.fromVideo(copy.finished());
        if (poster.isEmpty()) {
            LOG.warn("No thumbnail for {}: its provider serves none and no poster could be made of its first frame", key);
            return null;
        }
        byte[] jpeg = poster.get().jpeg();
        try {
            return output.write(batch, "thumbnails/" + key + "." + PosterFrame.Poster.EXTENSION,
                    new ByteArrayInputStream(jpeg), jpeg.length, PosterFrame.Poster.CONTENT_TYPE).path();
        } catch (IOException e) {
            LOG.warn("No thumbnail for {}: its poster could not be stored ({})", key, OutputStore.describe(e));
            return null;
        }
    }
}

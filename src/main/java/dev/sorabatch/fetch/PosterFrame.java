package dev.sorabatch.fetch;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A poster image for a video whose provider serves none: the first key frame of an MP4 file, decoded in pure Java by
 * JCodec, scaled down to fit a box (never up) and encoded as JPEG. A file that gives no poster gives an empty result
 * and one INFO line with the reason, never an exception.
 * <p>
 * What JCodec 0.2.5 decodes: H.264 in an {@code avc1} sample entry of an MP4/MOV file, Baseline (and Constrained
 * Baseline), Main and High profiles, 8-bit 4:2:0, progressive: CAVLC and CABAC, B-frames, 8x8 transform, several
 * slices. What gives no poster: High 10, High 4:2:2 and High 4:4:4 profiles, interlaced coding (field pictures,
 * MBAFF), constrained intra prediction, {@code avc3} sample entries, fragmented MP4 (samples only in {@code moof}
 * boxes), and every other codec (HEVC, AV1, VP9, ...). Providers' MP4s (H.264 High, yuv420p, progressive) are in the
 * first group.
 * <p>
 * Bounds: the decoding runs in a child JVM ({@link FirstFrame}) with a heap of {@value #DECODER_HEAP_MB} MB, one
 * processor and no environment; it reads only the box headers, the {@code moov} box and the first key frame, each
 * size checked first; a child still running at the time limit is killed. At most {@value #PARALLEL} children run at
 * once in this JVM; a caller waits for its turn within the same time limit.
 */
public final class PosterFrame {

    /** The default bounding box, in pixels, for the poster's width and height. */
    public static final int DEFAULT_MAX_SIDE = 640;
    /** The default time a caller waits for a poster, its wait for a turn included. */
    public static final Duration DEFAULT_TIME_LIMIT = Duration.ofSeconds(15);
    /** Posters made at once, one child JVM each. */
    public static final int PARALLEL = 2;
    /** The heap of one decoding child: a 1920 x 1080 frame needs 32 MB, so the largest frame decoded about 150 MB. */
    static final int DECODER_HEAP_MB = 192;

    private static final Logger LOG = LoggerFactory.getLogger(PosterFrame.class);
    private static final Semaphore TURNS = new Semaphore(PARALLEL, true);
    /** The JVM's code for -XX:+ExitOnOutOfMemoryError. */
    private static final int OUT_OF_MEMORY = 3;
    private static final long MAX_POSTER_BYTES = 8L << 20;
    private static final int MAX_ERROR_BYTES = 4096;

    /**
     * A JPEG poster.
     *
     * @param jpeg   the encoded image (the array is the caller's from here on)
     * @param width  its width in pixels
     * @param height its height in pixels
     */
    public record Poster(byte[] jpeg, int width, int height) {
        public static final String CONTENT_TYPE = "image/jpeg";
        public static final String EXTENSION = "jpg";
    }

    /** A poster, or why there is none. */
    record Attempt(Poster poster, String reason) {
    }

    private final int maxWidth;
    private final int maxHeight;
    private final Duration timeLimit;
    private final int heapMegabytes;
    private final String classPath;

    /** Posters that fit in {@value #DEFAULT_MAX_SIDE} x {@value #DEFAULT_MAX_SIDE}, made within the default limit. */
    public PosterFrame() {
        this(DEFAULT_MAX_SIDE, DEFAULT_MAX_SIDE, DEFAULT_TIME_LIMIT);
    }

    /**
     * @param maxWidth  the poster's largest width (a smaller frame keeps its size)
     * @param maxHeight the poster's largest height
     * @param timeLimit how long {@link #fromVideo} takes at most
     */
    public PosterFrame(int maxWidth, int maxHeight, Duration timeLimit) {
        this(maxWidth, maxHeight, timeLimit, DECODER_HEAP_MB, System.getProperty("java.class.path"));
    }

    /** With the decoder's heap and class path (this JVM's by default: the packaged jar when run from it). */
    PosterFrame(int maxWidth, int maxHeight, Duration timeLimit, int heapMegabytes, String classPath) {
        if (maxWidth < 1 || maxHeight < 1) {
            throw new IllegalArgumentException("poster bounds must be positive: " + maxWidth + "x" + maxHeight);
        }
        if (timeLimit.isNegative() || timeLimit.isZero()) {
            throw new IllegalArgumentException("poster time limit must be positive: " + timeLimit);
        }
        this.maxWidth = maxWidth;
        this.maxHeight = maxHeight;
        this.timeLimit = timeLimit;
        this.heapMegabytes = heapMegabytes;
        this.classPath = classPath;
    }

    /**
     * The poster of an MP4 file on disk: its first key frame, turned as the track says, fitted into the bounds, as
     * JPEG. Empty when the file is not an MP4 that is decoded here, is cut off or damaged, has no H.264 video track,
     * or takes longer than the time limit.
     */
    public Optional<Poster> fromVideo(Path mp4) {
        long started = System.nanoTime();
        Attempt attempt = attempt(mp4);
        if (attempt.poster() == null) {
            LOG.info("No poster for {}: {}", mp4, attempt.reason());
            return Optional.empty();
        }
        Poster poster = attempt.poster();
        LOG.debug("Poster {}x{} ({} bytes) made from {} in {} ms", poster.width(), poster.height(),
                poster.jpeg().length, mp4, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        return Optional.of(poster);
    }

    Attempt attempt(Path mp4) {
        long deadline = System.nanoTime() + timeLimit.toNanos();
        try {
            if (!Files.isRegularFile(mp4)) {
                return new Attempt(null, "no such file, or not a regular file");
            }
            if (Files.size(mp4) == 0) {
                return new Attempt(null, "the file is empty");
            }
            if (!TURNS.tryAcquire(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                return new Attempt(null, "no turn to decode within " + seconds(timeLimit));
            }
            try {
                return decodeInChild(mp4, deadline);
            } finally {
                TURNS.release();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Attempt(null, "interrupted");
        } catch (IOException | RuntimeException e) {
            LOG.debug("Poster failure for {}", mp4, e);
            return new Attempt(null, "the poster could not be made (" + e + ")");
        }
    }

    private Attempt decodeInChild(Path mp4, long deadline) throws IOException, InterruptedException {
        Path jpeg = Files.createTempFile("poster-", ".jpg");
        Path errors = Files.createTempFile("poster-", ".txt");
        Process child = null;
        try {
            ProcessBuilder builder = new ProcessBuilder(command(mp4.toAbsolutePath(), jpeg))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(errors.toFile());
            builder.environment().clear(); // nothing of the pipeline's, keys included, reaches the decoder
            child = builder.start();
            if (!child.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                return new Attempt(null, "not made within " + seconds(timeLimit));
            }
            int status = child.exitValue();
            if (status == FirstFrame.MADE) {
                return made(jpeg);
            }
            if (status == FirstFrame.NO_POSTER) {
                return new Attempt(null, lastLine(errors));
            }
            if (status == OUT_OF_MEMORY) {
                return new Attempt(null, "decoding needed more than " + heapMegabytes + " MB");
            }
            return new Attempt(null, "the decoder failed with exit code " + status + ": " + lastLine(errors));
        } finally {
            if (child != null && child.isAlive()) {
                child.destroyForcibly();
                child.waitFor(1, TimeUnit.SECONDS);
            }
            Files.deleteIfExists(jpeg);
            Files.deleteIfExists(errors);
        }
    }

    private List<String> command(Path mp4, Path jpeg) {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heapMegabytes + "m", "-XX:MaxDirectMemorySize=64m", "-XX:+ExitOnOutOfMemoryError",
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData",
                // one processor: JCodec's H264Decoder then decodes on its caller's thread instead of starting a pool
                // per instance that is never stopped (jcodec/jcodec issues 491 and 505)
                "-XX:ActiveProcessorCount=1",
                "-Djava.awt.headless=true",
                "-cp", classPath, FirstFrame.class.getName(),
                mp4.toString(), jpeg.toString(), Integer.toString(maxWidth), Integer.toString(maxHeight));
    }

    private static Attempt made(Path jpeg) throws IOException {
        if (Files.size(jpeg) > MAX_POSTER_BYTES) {
            return new Attempt(null, "the decoder wrote " + Files.size(jpeg) + " bytes, more than a poster takes");
        }
        byte[] bytes = Files.readAllBytes(jpeg);
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("jpeg");
        ImageReader reader = readers.next();
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            reader.setInput(in);
            return new Attempt(new Poster(bytes, reader.getWidth(0), reader.getHeight(0)), null);
        } finally {
            reader.dispose();
        }
    }

    /** The child's last words: the JVM's own warnings, if any, come first. */
    private static String lastLine(Path errors) throws IOException {
        try (InputStream in = Files.newInputStream(errors)) {
            String text = new String(in.readNBytes(MAX_ERROR_BYTES), StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? "(no message)" : text.substring(text.lastIndexOf('\n') + 1).strip();
        }
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() / 1000.0 + " s";
    }
}

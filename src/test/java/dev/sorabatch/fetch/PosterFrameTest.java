package dev.sorabatch.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.IntStream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Posters from real MP4s made by ffmpeg (src/test/resources/poster/README.md), compared with ffmpeg's own rendering of
 * the first frame, and no poster, for the stated reason, from everything else.
 */
class PosterFrameTest {

    private static final Path SIMULATOR_SAMPLE = Path.of("src/main/resources/simulator/sample.mp4");
    private static final Path FIXTURES = Path.of("src/test/resources/poster");

    private final PosterFrame posters = new PosterFrame();

    @TempDir
    Path temp;

    @Test
    void theSimulatorsSampleGivesItsFirstFrameAtItsOwnSize() {
        PosterFrame.Poster poster = posters.fromVideo(SIMULATOR_SAMPLE).orElseThrow();

        BufferedImage image = decode(poster);
        assertThat(image.getWidth()).isEqualTo(160).isEqualTo(poster.width());
        assertThat(image.getHeight()).isEqualTo(90).isEqualTo(poster.height());
        assertThat(distinctColours(image)).isGreaterThan(100);
        assertThat(meanDifference(image, read(FIXTURES.resolve("sample-first-frame.png")))).isLessThan(10);
    }

    @Test
    void aHighProfile720pFileWithSeveralSlicesAndItsIndexAtTheEndIsScaledToTheBoundedWidth() {
        PosterFrame.Poster poster = posters.fromVideo(FIXTURES.resolve("high-720p.mp4")).orElseThrow();

        BufferedImage image = decode(poster);
        assertThat(image.getWidth()).isEqualTo(640);
        assertThat(image.getHeight()).isEqualTo(360);
        assertThat(meanDifference(image, read(FIXTURES.resolve("high-720p-first-frame.jpg")))).isLessThan(10);
    }

    @Test
    void aTrackTurnedAQuarterIsShownUpright() {
        PosterFrame.Poster poster = posters.fromVideo(FIXTURES.resolve("rotated.mp4")).orElseThrow();

        BufferedImage image = decode(poster);
        assertThat(image.getWidth()).isEqualTo(180);
        assertThat(image.getHeight()).isEqualTo(320);
        assertThat(meanDifference(image, read(FIXTURES.resolve("rotated-first-frame.png")))).isLessThan(10);
    }

    @Test
    void theBoxBoundsBothSides() {
        PosterFrame small = new PosterFrame(100, 40, PosterFrame.DEFAULT_TIME_LIMIT);

        PosterFrame.Poster wide = small.fromVideo(FIXTURES.resolve("high-720p.mp4")).orElseThrow();
        PosterFrame.Poster tall = small.fromVideo(FIXTURES.resolve("rotated.mp4")).orElseThrow();

        assertThat(decode(wide).getWidth()).isEqualTo(71); // 40 high at 16:9
        assertThat(decode(wide).getHeight()).isEqualTo(40);
        assertThat(decode(tall).getWidth()).isEqualTo(23); // 40 high at 9:16
        assertThat(decode(tall).getHeight()).isEqualTo(40);
    }

    @ParameterizedTest
    @ValueSource(strings = {"baseline.mp4", "main.mp4"})
    void otherProfilesDecodeToo(String file) {
        PosterFrame.Poster poster = posters.fromVideo(FIXTURES.resolve(file)).orElseThrow();

        assertThat(distinctColours(decode(poster))).isGreaterThan(100);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "hevc.mp4         | its video is 'hvc1'; only H.264 ('avc1') is decoded here",
        "av1.mp4          | its video is 'av01'; only H.264 ('avc1') is decoded here",
        "vp9.mp4          | its video is 'vp09'; only H.264 ('avc1') is decoded here",
        "audio-only.mp4   | the file has no video track",
        "high10.mp4       | its H.264 profile 110 is not Baseline, Main or High",
        "high444.mp4      | its H.264 profile 244 is not Baseline, Main or High",
        "interlaced.mp4   | Unsupported h264 feature: MBAFF",
        "oversize.mp4     | its frames are 4096x2320, more than the 9437184 pixels decoded here",
    })
    void whatIsNotDecodedHereGivesNoPosterAndSaysWhy(String file, String reason) {
        assertThat(posters.attempt(FIXTURES.resolve(file)).reason()).contains(reason);
    }

    @Test
    void aFileCutBeforeItsIndexGivesNoPoster() throws IOException {
        Path cut = copyHead(FIXTURES.resolve("high-720p.mp4"), 40_000); // the moov box is at the end
        assertThat(posters.attempt(cut).reason())
                .isEqualTo("no 'moov' box: not an MP4 file, or cut off before its index");
    }

    @Test
    void aFileCutInsideItsFirstFrameGivesNoPoster() throws IOException {
        Path cut = copyHead(SIMULATOR_SAMPLE, 2_500); // index first, then the key frame at bytes 1730 to 3678
        assertThat(posters.attempt(cut).reason()).isEqualTo("the first key frame is missing or cut off");
    }

    @Test
    void emptyMissingAndTextFilesGiveNoPoster() throws IOException {
        Path empty = Files.createFile(temp.resolve("empty.mp4"));
        Path text = Files.writeString(temp.resolve("prompts.mp4"), "a cat on a skateboard\n".repeat(100));
        assertThat(posters.attempt(empty).reason()).isEqualTo("the file is empty");
        assertThat(posters.attempt(temp.resolve("missing.mp4")).reason())
                .isEqualTo("no such file, or not a regular file");
        assertThat(posters.attempt(text).reason()).startsWith("no 'moov' box");
        assertThat(posters.fromVideo(text)).isEmpty();
        assertThat(posters.fromVideo(temp)).isEmpty(); // a directory
    }

    @Test
    void boxSizesAreCheckedBeforeAnythingIsAllocated() throws IOException {
        Path hugeMoov = Files.write(temp.resolve("huge-moov.mp4"), concat(ftyp(), box(1L << 30, "moov", 64)));
        Path zeroLarge = Files.write(temp.resolve("zero-large-size.mp4"), concat(ftyp(), largeBox(0, "mdat", 64)));
        assertThat(posters.attempt(hugeMoov).reason()).isEqualTo(
                "its 'moov' box claims 1073741824 bytes, more than the 16777216 read here");
        assertThat(posters.attempt(zeroLarge).reason()).isEqualTo("a damaged box header at byte 24");
    }

    @Test
    void aDecoderPastItsTimeLimitIsStoppedAndGivesNoPoster() {
        PosterFrame hurried = new PosterFrame(640, 640, Duration.ofMillis(50));
        long children = ProcessHandle.current().children().count();

        assertThat(hurried.attempt(FIXTURES.resolve("high-720p.mp4")).reason())
                .isEqualTo("not made within 0.05 s");
        assertThat(ProcessHandle.current().children().count()).as("decoders left running")
                .isLessThanOrEqualTo(children);
    }

    @Test
    void aDecoderOutOfMemoryGivesNoPosterAndLeavesThisHeapAlone() {
        PosterFrame cramped = new PosterFrame(640, 640, PosterFrame.DEFAULT_TIME_LIMIT, 8,
                System.getProperty("java.class.path"));
        assertThat(cramped.attempt(FIXTURES.resolve("high-720p.mp4")).reason())
                .isEqualTo("decoding needed more than 8 MB");
    }

    private Path copyHead(Path source, int bytes) throws IOException {
        try (InputStream in = Files.newInputStream(source)) {
            return Files.write(temp.resolve("cut-" + source.getFileName()), in.readNBytes(bytes));
        }
    }

    private static byte[] ftyp() {
        return concat(header(24, "ftyp"), "isom".getBytes(StandardCharsets.US_ASCII), new byte[4],
                "isomavc1".getBytes(StandardCharsets.US_ASCII));
    }

    /** A box header claiming {@code size} bytes, followed by {@code present} zero bytes. */
    private static byte[] box(long size, String type, int present) {
        return concat(header(size, type), new byte[present]);
    }

    private static byte[] largeBox(long size, String type, int present) {
        return concat(header(1, type), ByteBuffer.allocate(8).putLong(size).array(), new byte[present]);
    }

    private static byte[] header(long size, String type) {
        return ByteBuffer.allocate(8).putInt((int) size).put(type.getBytes(StandardCharsets.US_ASCII)).array();
    }

    private static byte[] concat(byte[]... parts) {
        ByteBuffer all = ByteBuffer.allocate(Arrays.stream(parts).mapToInt(p -> p.length).sum());
        Arrays.stream(parts).forEach(all::put);
        return all.array();
    }

    private static BufferedImage decode(PosterFrame.Poster poster) {
        assertThat(poster.jpeg()).startsWith(0xFF, 0xD8, 0xFF); // a JPEG's SOI marker
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(poster.jpeg()));
            assertThat(image).as("decodable JPEG").isNotNull();
            return image;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static BufferedImage read(Path file) {
        try {
            return ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long distinctColours(BufferedImage image) {
        return IntStream.range(0, image.getWidth() * image.getHeight())
                .map(i -> image.getRGB(i % image.getWidth(), i / image.getWidth()) & 0xFFFFFF)
                .distinct().count();
    }

    /** Mean absolute difference per channel (0 to 255) of two images of the same size. */
    private static double meanDifference(BufferedImage a, BufferedImage b) {
        assertThat(b.getWidth()).isEqualTo(a.getWidth());
        assertThat(b.getHeight()).isEqualTo(a.getHeight());
        long sum = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int shift = 0; shift <= 16; shift += 8) {
                    sum += Math.abs((p >> shift & 0xFF) - (q >> shift & 0xFF));
                }
            }
        }
        return (double) sum / (3L * a.getWidth() * a.getHeight());
    }
}

package dev.sorabatch.qa;

import static dev.sorabatch.qa.Mp4Boxes.ONE;
import static dev.sorabatch.qa.Mp4Boxes.box;
import static dev.sorabatch.qa.Mp4Boxes.concat;
import static dev.sorabatch.qa.Mp4Boxes.esds;
import static dev.sorabatch.qa.Mp4Boxes.ftyp;
import static dev.sorabatch.qa.Mp4Boxes.largeBox;
import static dev.sorabatch.qa.Mp4Boxes.mvhd;
import static dev.sorabatch.qa.Mp4Boxes.openBox;
import static dev.sorabatch.qa.Mp4Boxes.soundTrak;
import static dev.sorabatch.qa.Mp4Boxes.stsdAudio;
import static dev.sorabatch.qa.Mp4Boxes.stsdVisual;
import static dev.sorabatch.qa.Mp4Boxes.tkhd;
import static dev.sorabatch.qa.Mp4Boxes.trak;
import static dev.sorabatch.qa.Mp4Boxes.videoTrak;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Random;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class Mp4ProbeTest {

    private static final ClipFacts SAMPLE = new ClipFacts(Optional.of(Duration.ofSeconds(1)), 160, 90, 0,
            Optional.of("h264"), Optional.of("aac"), false, Optional.empty());

    @TempDir
    Path dir;

    /**
     * Expected values are ffprobe's (ffmpeg 5.1): {@code ffprobe -v error -show_entries
     * format=duration:stream=codec_name,width,height:stream_side_data=rotation -of compact FILE}. The fragmented file's
     * header states no length; ffprobe's 1.2 s comes from adding up its fragments, which the probe does not read.
     * All but {@code sample.mp4} and {@code fragmented.mp4} have their index after their media. MP3 in an
     * {@code mp4a} entry is {@code aac} to the probe, which names a sound track by its entry's code alone (ffprobe
     * says {@code mp3}, from the decoder configuration).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(nullValues = "-", value = {
            // resource,                 seconds, width, height, rotation, video, audio
            "/simulator/sample.mp4,      1.0,     160,   90,     0,        h264,  aac",
            "/poster/high-720p.mp4,      1.0,     1280,  720,    0,        h264,  aac",
            "/poster/baseline.mp4,       0.3,     160,   90,     0,        h264,  -",
            "/poster/main.mp4,           0.3,     160,   90,     0,        h264,  -",
            "/poster/rotated.mp4,        1.0,     320,   180,    90,       h264,  -",
            "/poster/high10.mp4,         0.2,     160,   90,     0,        h264,  -",
            "/poster/high444.mp4,        0.2,     160,   90,     0,        h264,  -",
            "/poster/interlaced.mp4,     0.2,     160,   96,     0,        h264,  -",
            "/poster/hevc.mp4,           0.2,     160,   90,     0,        hevc,  -",
            "/poster/av1.mp4,            0.2,     160,   90,     0,        av1,   -",
            "/poster/vp9.mp4,            0.2,     160,   90,     0,        vp9,   -",
            "/poster/oversize.mp4,       1.0,     4096,  2320,   0,        h264,  -",
            "/poster/audio-only.mp4,     1.0,     0,     0,      0,        -,     aac",
            "/qa/mp3.mp4,                0.3,     160,   90,     0,        h264,  aac",
            "/qa/quicktime.mov,          0.3,     160,   90,     0,        h264,  aac",
            "/qa/fragmented.mp4,         -,       160,   90,     0,        h264,  aac",
    })
    void factsOfEachFixtureAreFfprobes(String resource, Double seconds, int width, int height, int rotation,
                                      String video, String audio) throws IOException {
        ClipFacts expected = new ClipFacts(Optional.ofNullable(seconds).map(s -> Duration.ofMillis(Math.round(s * 1000))),
                width, height, rotation, Optional.ofNullable(video), Optional.ofNullable(audio), false, Optional.empty());
        Path file = fixture(resource);
        assertThat(Mp4Probe.probe(file)).isEqualTo(expected);

        byte[] bytes = Files.readAllBytes(file);
        ProbingInputStream tee = Mp4Probe.tee(new ByteArrayInputStream(bytes));
        assertThat(sha256(tee)).as("bytes through the tee").isEqualTo(sha256(bytes));
        assertThat(tee.facts()).isEqualTo(expected);
    }

    @Test
    void pieceSizesDoNotMatter() throws IOException {
        Random random = new Random(12);
        for (String resource : new String[] {"/simulator/sample.mp4", "/poster/high-720p.mp4", "/qa/quicktime.mov"}) {
            byte[] bytes = Files.readAllBytes(fixture(resource));
            ClipFacts whole = Mp4Probe.probe(fixture(resource));

            ProbingInputStream bytewise = Mp4Probe.tee(new ByteArrayInputStream(bytes));
            while (bytewise.read() >= 0) {
                // one byte at a time
            }
            assertThat(bytewise.facts()).as(resource + " byte by byte").isEqualTo(whole);

            ProbingInputStream pieces = Mp4Probe.tee(new Pieces(new ByteArrayInputStream(bytes), random, 23));
            assertThat(sha256(pieces)).isEqualTo(sha256(bytes));
            assertThat(pieces.facts()).as(resource + " in random pieces").isEqualTo(whole);
        }
    }

    /**
     * 300 MB of media before or after the index pass through the tee; the probe allocates nothing that grows with
     * them (the source and the copy's buffer are the test's own).
     */
    @ParameterizedTest(name = "index first: {0}")
    @ValueSource(booleans = {false, true})
    void a300MbStreamIsProbedWithoutKeepingItsMedia(boolean indexFirst) throws IOException {
        probeThroughTee(SyntheticMp4.of(1 << 20, indexFirst), new byte[1 << 16]); // loads and compiles the classes
        SyntheticMp4 source = SyntheticMp4.of(300_000_000L, indexFirst);
        byte[] buffer = new byte[1 << 16];

        long before = allocatedBytes();
        ClipFacts facts = probeThroughTee(source, buffer);
        long allocated = allocatedBytes() - before;

        assertThat(facts).isEqualTo(SAMPLE);
        assertThat(allocated).as("bytes allocated while 300 MB passed").isLessThan(64 * 1024);
    }

    /** A stored file is probed from its box headers and index; the media (here, sparse) is skipped, not read. */
    @ParameterizedTest(name = "{0} bytes of media")
    @ValueSource(longs = {300_000_000L, 5L << 30})
    void aStoredFileIsProbedFromItsHeadersOnly(long mediaBytes) throws IOException {
        SyntheticMp4 synthetic = SyntheticMp4.of(mediaBytes, false);
        Path file = dir.resolve("moov-last.mp4");
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            out.write(ByteBuffer.wrap(synthetic.before()));
            out.write(ByteBuffer.wrap(synthetic.after()), synthetic.length() - synthetic.after().length);
        }
        assertThat(Mp4Probe.probe(file)).isEqualTo(SAMPLE);
        try (Counting channel = new Counting(FileChannel.open(file))) {
            assertThat(Mp4Probe.probe(channel)).isEqualTo(SAMPLE);
            assertThat(channel.read).as("bytes read of a %d-byte file", synthetic.length()).isLessThan(16 * 1024);
        }
    }

    /** Every cut of a file, in its index or its media, reads as unreadable or cut short, through both probes. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/simulator/sample.mp4", "/poster/rotated.mp4"})
    void everyCutReadsAsUnreadableOrCutShort(String resource) throws IOException {
        byte[] bytes = Files.readAllBytes(fixture(resource));
        ClipFacts whole = Mp4Probe.probe(fixture(resource));
        Random random = new Random(resource.hashCode());
        int readable = 0;
        for (int length = 0; length < bytes.length; length++) {
            byte[] cut = Arrays.copyOf(bytes, length);
            ProbingInputStream tee = Mp4Probe.tee(new Pieces(new ByteArrayInputStream(cut), random, 700));
            tee.transferTo(OutputStream.nullOutputStream());
            ClipFacts facts = tee.facts();
            assertThat(Mp4Probe.probe(new Memory(cut))).as("cut at %d", length).isEqualTo(facts);
            if (facts.unreadable().isEmpty()) {
                readable++;
                assertThat(facts.truncated()).as("cut at %d", length).isTrue();
                assertThat(facts).as("cut at %d", length)
                        .isEqualTo(new ClipFacts(whole.duration(), whole.width(), whole.height(), whole.rotation(),
                                whole.videoCodec(), whole.audioCodec(), true, Optional.empty()));
            }
        }
        int afterIndex = resource.contains("sample")
                ? bytes.length - Mp4Boxes.topLevel(bytes, "ftyp").length - Mp4Boxes.topLevel(bytes, "moov").length : 0;
        assertThat(readable).as("cuts after a whole index").isEqualTo(afterIndex);
    }

    @Test
    void whatIsNoMp4IsUnreadable() throws IOException {
        byte[] random = new byte[1 << 16];
        new Random(5).nextBytes(random);
        assertThat(teeFacts(new byte[0]).unreadable()).hasValue("the file is empty");
        assertThat(teeFacts(random).unreadable()).isPresent();
        assertThat(teeFacts(new byte[4096]).unreadable()).hasValueSatisfying(r -> r.contains("damaged box header"));
        assertThat(teeFacts(Mp4Boxes.ascii("<html><body>Service unavailable</body></html>")).unreadable()).isPresent();
        assertThat(teeFacts(concat(ftyp(), box("free"), box("mdat", new byte[100]))).unreadable())
                .hasValue("no 'moov' box: not an MP4 file, or cut off before its index");
    }

    /** Damaged files: the copy is never disturbed, whatever the probe makes of them. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/simulator/sample.mp4", "/poster/high-720p.mp4", "/qa/quicktime.mov"})
    void damageNeverDisturbsTheCopy(String resource) throws IOException {
        byte[] bytes = Files.readAllBytes(fixture(resource));
        int indexStart = resource.contains("sample") ? 0 : bytes.length - Mp4Boxes.topLevel(bytes, "moov").length;
        Random random = new Random(99);
        for (int variant = 0; variant < 300; variant++) {
            byte[] damaged = bytes.clone();
            for (int i = random.nextInt(8); i >= 0; i--) {
                damaged[indexStart + random.nextInt(Math.min(2048, bytes.length - indexStart))] = (byte) random.nextInt();
            }
            ProbingInputStream tee = Mp4Probe.tee(new Pieces(new ByteArrayInputStream(damaged), random, 4096));
            assertThat(sha256(tee)).isEqualTo(sha256(damaged));
            assertThat(tee.facts()).isEqualTo(Mp4Probe.probe(new Memory(damaged)));
        }
    }

    @Test
    void theSourcesOwnErrorsReachTheReaderUnchanged() throws IOException {
        IOException reset = new IOException("Connection reset");
        byte[] bytes = Files.readAllBytes(fixture("/simulator/sample.mp4"));
        InputStream failing = new FilterInputStream(new ByteArrayInputStream(bytes, 0, 5000)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n < 0) {
                    throw reset;
                }
                return n;
            }
        };
        ProbingInputStream tee = Mp4Probe.tee(failing);
        assertThatThrownBy(() -> tee.transferTo(OutputStream.nullOutputStream())).isSameAs(reset);
        assertThat(tee.facts().truncated()).isTrue();
    }

    @Test
    void skippingThroughTheTeeStillProbes() throws IOException {
        SyntheticMp4 source = SyntheticMp4.of(10_000_000, false);
        ProbingInputStream tee = Mp4Probe.tee(source);
        long read = tee.read(new byte[100]);
        while (read < source.length()) {
            long skipped = tee.skip(source.length());
            assertThat(skipped).isPositive();
            read += skipped;
        }
        assertThat(tee.read()).isEqualTo(-1);
        assertThat(tee.facts()).isEqualTo(SAMPLE);
        assertThat(tee.markSupported()).isFalse();
    }

    @Test
    void boxSizesOf64BitsOf0AndPaddingAreFollowed() throws IOException {
        byte[] moov = box("moov", mvhd(0, 600, 4800), videoTrak(1280, 720), soundTrak());
        ClipFacts eightSeconds = new ClipFacts(Optional.of(Duration.ofSeconds(8)), 1280, 720, 0, Optional.of("h264"),
                Optional.of("aac"), false, Optional.empty());

        assertThat(facts(concat(ftyp(), largeBox("mdat", new byte[5000]), moov))).isEqualTo(eightSeconds);
        assertThat(facts(concat(ftyp(), moov, openBox("mdat", new byte[5000])))).as("media to the end").isEqualTo(eightSeconds);
        byte[] padded = box("moov", mvhd(0, 600, 4800), videoTrak(1280, 720), soundTrak(), new byte[4]);
        assertThat(facts(file(padded))).as("zeros closing the index").isEqualTo(eightSeconds);
        assertThat(facts(concat(file(moov), new byte[] {0, 0, 0, 3, 1, 2, 3, 4}))).as("not boxes after the index")
                .isEqualTo(eightSeconds);
        assertThat(facts(concat(ftyp(), moov, box("free"), box("mdat"), box("free")))).as("empty boxes")
                .isEqualTo(eightSeconds);
    }

    @Test
    void headerFieldsOfBothVersionsAreRead() throws IOException {
        byte[] wide = box("moov", mvhd(1, 90_000, 90_000L * 3 / 2),
                trak(tkhd(1, -ONE, 0, 0, -ONE), "vide", stsdVisual("hvc1", 1920, 1080)));
        assertThat(facts(file(wide))).isEqualTo(new ClipFacts(Optional.of(Duration.ofMillis(1500)), 1920, 1080,
                180, Optional.of("hevc"), Optional.empty(), false, Optional.empty()));

        byte[] turned = box("moov", mvhd(0, 1000, 0),
                trak(tkhd(0, 0, ONE, -ONE, 0), "vide", stsdVisual("av01", 1280, 720)));
        ClipFacts facts = facts(file(turned));
        assertThat(facts.rotation()).isEqualTo(270);
        assertThat(facts.displayWidth()).isEqualTo(720);
        assertThat(facts.displayHeight()).isEqualTo(1280);
        assertThat(facts.duration()).as("a zero length is none").isEmpty();

        byte[] sheared = box("moov", mvhd(0, 1000, 1000),
                trak(tkhd(0, ONE, ONE / 2, 0, ONE), "vide", stsdVisual("avc1", 640, 480)));
        assertThat(facts(file(sheared)).rotation()).as("not a quarter turn").isZero();
    }

    @Test
    void soundIsNamedByItsEntryCode() throws IOException {
        byte[] wave = box("wave", box("frma", Mp4Boxes.ascii("mp4a")), esds(0x6B));
        assertThat(audio(stsdAudio("mp4a", 1, wave))).as("QuickTime v1, in 'wave'").isEqualTo("aac");
        assertThat(audio(stsdAudio("mp4a", 2, esds(0x40)))).as("QuickTime v2").isEqualTo("aac");
        assertThat(audio(stsdAudio("mp4a", 0))).as("no decoder configuration").isEqualTo("aac");
        assertThat(audio(stsdAudio("Opus", 0))).isEqualTo("opus");
        assertThat(audio(stsdAudio("ac-3", 0))).isEqualTo("ac3");
        assertThat(audio(stsdAudio("lpcm", 0))).as("not in the table: its code").isEqualTo("lpcm");
    }

    @Test
    void aHugeSampleDescriptionIsReadFromItsStart() throws IOException {
        byte[] big = stsdVisual("avc1", 1280, 720, box("uuid", new byte[3_000_000]));
        byte[] moov = box("moov", mvhd(0, 1000, 4000), trak(tkhd(0, ONE, 0, 0, ONE), "vide", big));
        ClipFacts facts = facts(file(moov));
        assertThat(facts.videoCodec()).hasValue("h264");
        assertThat(facts.width()).isEqualTo(1280);
    }

    @Test
    void damagedStructureIsUnreadable() throws IOException {
        byte[] overrun = box("moov", mvhd(0, 1000, 4000), box("trak", tkhd(0, ONE, 0, 0, ONE)));
        ByteBuffer.wrap(overrun).putInt(8 + 108 + 8, 200); // the tkhd claims more than its trak holds
        assertThat(facts(concat(ftyp(), overrun)).unreadable())
                .hasValue("the 'tkhd' box at byte 156 runs past the end of its 'trak' box");

        byte[][] tracks = IntStream.range(0, Mp4Index.MAX_TRACKS + 1).mapToObj(i -> soundTrak()).toArray(byte[][]::new);
        assertThat(facts(concat(ftyp(), box("moov", mvhd(0, 1000, 4000), concat(tracks)))).unreadable())
                .hasValue("more than 64 tracks");

        byte[] tooSmall = concat(ftyp(), new byte[] {0, 0, 0, 4}, Mp4Boxes.ascii("free"));
        assertThat(facts(tooSmall).unreadable()).hasValue("the 'free' box at byte 32 claims 4 bytes");

        byte[] shortHeader = box("moov", box("mvhd", new byte[10]));
        assertThat(facts(concat(ftyp(), shortHeader)).unreadable()).hasValue("its 'mvhd' box is missing or too short");

        byte[] hugeIndex = concat(ftyp(), ByteBuffer.allocate(8).putInt(BoxWalker.MAX_INDEX_BYTES + 1)
                .put(Mp4Boxes.ascii("moov")).array());
        assertThat(facts(hugeIndex).unreadable()).hasValueSatisfying(r -> r.startsWith("its 'moov' box at byte 32 is "
                + (BoxWalker.MAX_INDEX_BYTES + 1) + " bytes, over the"));

        byte[] cutInIndex = Arrays.copyOf(concat(ftyp(), box("moov", mvhd(0, 1000, 4000), videoTrak(8, 8))), 200);
        assertThat(facts(cutInIndex).unreadable()).hasValue("it ends inside its 'moov' box: cut off");
    }

    @Test
    void tracksWithoutSampleEntriesOrOfOtherKindsAreNotVideoOrSound() throws IOException {
        byte[] moov = box("moov", mvhd(0, 1000, 4000),
                trak(tkhd(0, ONE, 0, 0, ONE), "vide", box("stsd", new byte[8])),
                trak(tkhd(0, ONE, 0, 0, ONE), "text", stsdAudio("tx3g", 0)),
                box("trak", tkhd(0, ONE, 0, 0, ONE)));
        ClipFacts facts = facts(concat(ftyp(), moov));
        assertThat(facts.video()).isFalse();
        assertThat(facts.audio()).isFalse();
        assertThat(facts.unreadable()).isEmpty();
    }

    /** A file of the usual top-level boxes around an index. */
    private static byte[] file(byte[] moov) {
        return concat(ftyp(), moov, box("mdat", new byte[16]));
    }

    /** The facts of a built file, from both probes, which must agree. */
    private static ClipFacts facts(byte[] file) throws IOException {
        ClipFacts fromTee = teeFacts(file);
        assertThat(Mp4Probe.probe(new Memory(file))).isEqualTo(fromTee);
        return fromTee;
    }

    private static String audio(byte[] stsd) throws IOException {
        byte[] moov = box("moov", mvhd(0, 1000, 4000), trak(tkhd(0, ONE, 0, 0, ONE), "soun", stsd));
        return facts(file(moov)).audioCodec().orElseThrow();
    }

    private static ClipFacts teeFacts(byte[] file) throws IOException {
        ProbingInputStream tee = Mp4Probe.tee(new ByteArrayInputStream(file));
        tee.transferTo(OutputStream.nullOutputStream());
        return tee.facts();
    }

    private static ClipFacts probeThroughTee(InputStream source, byte[] buffer) throws IOException {
        try (ProbingInputStream tee = Mp4Probe.tee(source)) {
            while (tee.read(buffer, 0, buffer.length) >= 0) {
                // the copy
            }
            return tee.facts();
        }
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    static Path fixture(String resource) {
        try {
            return Path.of(Mp4ProbeTest.class.getResource(resource).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    private static String sha256(InputStream in) throws IOException {
        MessageDigest digest = sha256();
        try (DigestInputStream digesting = new DigestInputStream(in, digest)) {
            digesting.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Hands on at most a random number of bytes per read, as a network stream does. */
    private static final class Pieces extends FilterInputStream {
        private final Random random;
        private final int most;

        Pieces(InputStream in, Random random, int most) {
            super(in);
            this.random = random;
            this.most = most;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return super.read(b, off, Math.min(len, 1 + random.nextInt(most)));
        }
    }

    /** What the probe does not use of a channel: it only reads. */
    private abstract static class ReadOnly implements SeekableByteChannel {
        @Override
        public int write(ByteBuffer src) {
            throw new UnsupportedOperationException();
        }

        @Override
        public SeekableByteChannel truncate(long size) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() throws IOException {
        }
    }

    /** A channel over bytes in memory. */
    private static final class Memory extends ReadOnly {
        private final byte[] bytes;
        private long position;

        Memory(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public int read(ByteBuffer dst) {
            if (position >= bytes.length) {
                return -1;
            }
            int n = (int) Math.min(dst.remaining(), bytes.length - position);
            dst.put(bytes, (int) position, n);
            position += n;
            return n;
        }

        @Override
        public long position() {
            return position;
        }

        @Override
        public SeekableByteChannel position(long newPosition) {
            position = newPosition;
            return this;
        }

        @Override
        public long size() {
            return bytes.length;
        }
    }

    /** Counts the bytes read through a channel. */
    private static final class Counting extends ReadOnly {
        private final SeekableByteChannel channel;
        long read;

        Counting(SeekableByteChannel channel) {
            this.channel = channel;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            int n = channel.read(dst);
            read += Math.max(n, 0);
            return n;
        }

        @Override
        public long position() throws IOException {
            return channel.position();
        }

        @Override
        public SeekableByteChannel position(long newPosition) throws IOException {
            channel.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return channel.size();
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}

package dev.sorabatch.qa;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads an MP4 file's facts (length, frame size, codecs, sound) from its index alone, in memory that does not depend
 * on the file: either from a stream as it is copied ({@link #tee}) or from a stored file, whose media data is
 * skipped over rather than read ({@link #probe(Path)}). The index may come before or after the media data.
 * <p>
 * Why not a library's MP4 reader. metadata-extractor 2.19 ({@code Mp4MetadataReader}) pulls from a stream of its
 * own, so it cannot watch a copy that another reader drives; it skips media data without keeping it (300 MB before
 * the index: 0.7 MB allocated), but it stops at the first box over 2^31 - 1 bytes, so 2 GiB of media before the
 * index gives no video track ("Box size too large"; both measured by {@code dev.sorabatch.bench.ProbeBench}); it
 * allocates an array of the size a box claims before reading the box (drewnoakes/metadata-extractor
 * Source/com/drew/lang/StreamReader.java, getBytes), and its box handlers can only be driven by its own reader
 * (their methods are protected). mp4parser's {@code IsoFile} copies each {@code mdat} into a temporary file as it
 * parses (sannies/mp4parser isoparser/src/main/java/org/mp4parser/boxes/iso14496/part12/MediaDataBox.java). What is
 * needed here is a few fixed fields of four boxes, read by {@link BoxWalker} as the bytes pass.
 */
public final class Mp4Probe {

    /** What is read of a stored file at a time, between skips over the boxes the probe does not look into. */
    private static final int READ_BYTES = 4096;

    private Mp4Probe() {
    }

    /**
     * A stream that passes {@code in} on byte for byte and probes what passes; read it to the end (the copy), then
     * ask it for its {@link ProbingInputStream#facts() facts}. Closing it closes {@code in}.
     */
    public static ProbingInputStream tee(InputStream in) {
        return new ProbingInputStream(in);
    }

    /**
     * The facts of a stored file, reading its box headers and index only. A file that is not a readable MP4 gives
     * {@link ClipFacts#unreadable(String) unreadable facts}, not an exception.
     *
     * @throws IOException when the file itself cannot be read
     */
    public static ClipFacts probe(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return probe(channel);
        }
    }

    static ClipFacts probe(SeekableByteChannel channel) throws IOException {
        BoxWalker walker = new BoxWalker();
        ByteBuffer buffer = ByteBuffer.allocate(READ_BYTES);
        long size = channel.size();
        long position = 0;
        while (position < size) {
            long unseen = Math.min(walker.skippable(), size - position);
            if (unseen > 0) {
                walker.skip(unseen);
                position += unseen;
                continue;
            }
            buffer.clear().limit((int) Math.min(READ_BYTES, size - position));
            int read = channel.position(position).read(buffer);
            if (read <= 0) {
                break; // the file got shorter while it was read
            }
            walker.accept(buffer.array(), 0, read);
            position += read;
        }
        return walker.facts();
    }
}

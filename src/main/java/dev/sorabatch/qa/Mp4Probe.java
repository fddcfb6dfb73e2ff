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
 * The top-level boxes are followed by {@link BoxWalker} (why not a library's reader there is told in it); the index
 * itself is read by metadata-extractor ({@link Mp4Index}).
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

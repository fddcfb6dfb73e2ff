package dev.sorabatch.qa;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * An MP4 stream of any length that costs no memory: the simulator's {@code sample.mp4} index and file type around a
 * media data box of the given size, filled from one small pattern, with the index before or after it.
 */
public final class SyntheticMp4 extends InputStream {

    private static final int PATTERN = 1 << 16;
    private static final byte[] FILL = new byte[PATTERN];
    private static final byte[] SAMPLE;

    static {
        for (int i = 0; i < PATTERN; i++) {
            FILL[i] = (byte) (i * 31 + 7);
        }
        try (InputStream in = SyntheticMp4.class.getResourceAsStream("/simulator/sample.mp4")) {
            SAMPLE = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private final byte[] before;
    private final long fill;
    private final byte[] after;
    private final long length;
    private long position;

    private SyntheticMp4(byte[] before, long fill, byte[] after) {
        this.before = before;
        this.fill = fill;
        this.after = after;
        this.length = before.length + fill + after.length;
    }

    /** {@code ftyp}, then {@code moov} and an {@code mdat} of {@code mediaBytes} bytes in the order asked. */
    public static SyntheticMp4 of(long mediaBytes, boolean indexFirst) {
        byte[] ftyp = Mp4Boxes.topLevel(SAMPLE, "ftyp");
        byte[] moov = Mp4Boxes.topLevel(SAMPLE, "moov");
        byte[] mdatHeader = mdatHeader(mediaBytes);
        return indexFirst ? new SyntheticMp4(Mp4Boxes.concat(ftyp, moov, mdatHeader), mediaBytes, new byte[0])
                : new SyntheticMp4(Mp4Boxes.concat(ftyp, mdatHeader), mediaBytes, moov);
    }

    /** An {@code mdat} header for that much media: a 64-bit size when 32 bits do not hold it. */
    static byte[] mdatHeader(long mediaBytes) {
        return mediaBytes + 8 <= 0xFFFF_FFFFL
                ? ByteBuffer.allocate(8).putInt((int) (mediaBytes + 8)).put(Mp4Boxes.ascii("mdat")).array()
                : ByteBuffer.allocate(16).putInt(1).put(Mp4Boxes.ascii("mdat")).putLong(mediaBytes + 16).array();
    }

    /** The bytes before the media (file type, and the index when it comes first). */
    byte[] before() {
        return before.clone();
    }

    /** The bytes after the media (the index when it comes last). */
    byte[] after() {
        return after.clone();
    }

    public long length() {
        return length;
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (position >= length) {
            return -1;
        }
        int n;
        if (position < before.length) {
            n = (int) Math.min(len, before.length - position);
            System.arraycopy(before, (int) position, b, off, n);
        } else if (position < before.length + fill) {
            long inFill = position - before.length;
            n = (int) Math.min(Math.min(len, fill - inFill), PATTERN - inFill % PATTERN);
            System.arraycopy(FILL, (int) (inFill % PATTERN), b, off, n);
        } else {
            int inAfter = (int) (position - before.length - fill);
            n = Math.min(len, after.length - inAfter);
            System.arraycopy(after, inAfter, b, off, n);
        }
        position += n;
        return n;
    }
}

package dev.sorabatch.qa;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A stream that hands on every byte of another one unchanged and reads the MP4 facts from them as they pass, for a
 * copy that is made anyway (a download being stored). The probe costs a few comparisons per read, and
 * memory for the index alone (at most {@value BoxWalker#MAX_INDEX_BYTES} bytes), whatever the file's size and wherever
 * its index lies: a {@code moov} box after the media data is read when it comes by.
 * <p>
 * The probe never fails the copy: whatever the bytes are, reading goes on exactly as from the stream it wraps, and
 * only that stream's own errors reach the reader. {@link #facts()} tells what the bytes were.
 * {@link #skip(long) Skipped} bytes are read through (unless the probe does not need them); mark and reset are not
 * supported.
 */
public final class ProbingInputStream extends FilterInputStream {

    private static final int SKIP_BUFFER = 8192;

    private final BoxWalker walker = new BoxWalker();
    private final byte[] single = new byte[1];
    private byte[] skipBuffer;

    ProbingInputStream(InputStream in) {
        super(in);
    }

    /**
     * The facts of the bytes read so far, as a file that ends there: call it once the copy has read to the end (a
     * stream given up half way reads as cut off or unreadable).
     */
    public ClipFacts facts() {
        return walker.facts();
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            single[0] = (byte) b;
            walker.accept(single, 0, 1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            walker.accept(b, off, n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        if (n <= 0) {
            return 0;
        }
        long unseen = Math.min(n, walker.skippable());
        if (unseen > 0) {
            long skipped = in.skip(unseen);
            walker.skip(skipped);
            return skipped;
        }
        if (skipBuffer == null) {
            skipBuffer = new byte[SKIP_BUFFER];
        }
        return Math.max(read(skipBuffer, 0, (int) Math.min(n, SKIP_BUFFER)), 0);
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public synchronized void mark(int readlimit) {
        // not supported: bytes read again would reach the probe twice
    }

    @Override
    public synchronized void reset() throws IOException {
        throw new IOException("mark and reset are not supported");
    }
}

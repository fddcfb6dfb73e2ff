package dev.sorabatch.qa;

import java.util.Arrays;

/**
 * Follows an MP4 file's top-level boxes (ISO/IEC 14496-12 §4.2: 32-bit size and type, a 64-bit size after them when
 * the size is 1, a size of 0 for a box that runs to the end) from bytes pushed to it in order, in pieces of any size.
 * It keeps the {@code moov} box (the index) and passes over every other box by counting its bytes, so media data
 * before or after the index costs nothing; the index is read by {@link Mp4Index}.
 * <p>
 * Why this part is not a library's: metadata-extractor 2.19's {@code Mp4Reader} pulls from a stream of its own, so it
 * cannot watch a copy that another reader drives, and it stops at the first box over 2^31 - 1 bytes
 * (drewnoakes/metadata-extractor Source/com/drew/imaging/mp4/Mp4Reader.java, processBoxes: "Box size too large"), so
 * 2 GiB of media before the index gives no video track (measured by {@code dev.sorabatch.bench.ProbeBench}).
 * mp4parser's {@code IsoFile} pulls as well and copies each {@code mdat} into a temporary file as it parses
 * (sannies/mp4parser isoparser/src/main/java/org/mp4parser/boxes/iso14496/part12/MediaDataBox.java). Neither can be
 * pushed the bytes of a passing download or skip a stored file's media; this walker does only that.
 * <p>
 * Memory does not depend on the media: an index of at most {@value #MAX_INDEX_BYTES} bytes (a clip of minutes has
 * one of tens to hundreds of KB), and 16 bytes of box header. Damage ends the walk with a reason, never an exception.
 */
final class BoxWalker {

    static final int MAX_INDEX_BYTES = 16 << 20;

    private static final int FIRST_INDEX_BUFFER = 64 << 10;
    private static final int HEADER = 8;
    private static final int LARGE_HEADER = 16;
    private static final long TO_THE_END = Long.MAX_VALUE;

    private enum State { HEADER, INDEX, SKIP, TRAILER, FAILED }

    private State state = State.HEADER;
    private long position;

    private final byte[] header = new byte[LARGE_HEADER];
    private int headerFill;
    private long boxStart;
    private long boxEnd;

    private byte[] index;
    private int indexFill;
    private long indexStart;
    private byte[] moov;
    private boolean media;
    private String failure;

    /** Takes the next {@code length} bytes of the file. */
    void accept(byte[] bytes, int offset, int length) {
        try {
            while (length > 0 && walking()) {
                int used = switch (state) {
                    case HEADER -> header(bytes, offset, length);
                    case INDEX -> index(bytes, offset, length);
                    default -> passOver(length);
                };
                offset += used;
                length -= used;
            }
            position += length;
        } catch (RuntimeException e) {
            fail(fault(e));
        }
    }

    /** How many of the next bytes this walker does not look at: a reader may skip them with {@link #skip}. */
    long skippable() {
        return switch (state) {
            case SKIP -> boxEnd == TO_THE_END ? TO_THE_END : boxEnd - position;
            case TRAILER, FAILED -> TO_THE_END;
            default -> 0;
        };
    }

    /** The next {@code count} bytes (at most {@link #skippable()}) went past unseen. */
    void skip(long count) {
        position += count;
        if (state == State.SKIP && position == boxEnd) {
            nextBox();
        }
    }

    /** The facts, taking the bytes seen so far as the whole file. */
    ClipFacts facts() {
        try {
            return gathered();
        } catch (RuntimeException e) {
            return ClipFacts.unreadable(fault(e));
        }
    }

    /** The walker's own faults end the walk, never the copy it watches. */
    private static String fault(RuntimeException e) {
        return "the probe stopped at a fault of its own (" + e + ")";
    }

    private void fail(String reason) {
        if (state != State.FAILED) {
            failure = reason;
            state = State.FAILED;
        }
    }

    private ClipFacts gathered() {
        if (state == State.FAILED) {
            return ClipFacts.unreadable(failure);
        }
        if (moov == null) {
            return ClipFacts.unreadable(position == 0 ? "the file is empty"
                    : state == State.INDEX ? "it ends inside its 'moov' box: cut off"
                    : "no 'moov' box: not an MP4 file, or cut off before its index");
        }
        // a file cut right after its index (faststart) still has no media data
        boolean cutOff = !media || state == State.INDEX || state == State.HEADER && headerFill > 0
                || state == State.SKIP && boxEnd != TO_THE_END;
        return Mp4Index.facts(moov, indexStart, cutOff);
    }

    private boolean walking() {
        return state != State.TRAILER && state != State.FAILED;
    }

    private int header(byte[] bytes, int offset, int length) {
        int wanted = headerFill >= HEADER && Bytes.u32(header, 0) == 1 ? LARGE_HEADER : HEADER;
        int used = Math.min(length, wanted - headerFill);
        System.arraycopy(bytes, offset, header, headerFill, used);
        headerFill += used;
        position += used;
        if (headerFill == wanted && !(wanted == HEADER && Bytes.u32(header, 0) == 1)) {
            headerFill = 0;
            opened(wanted);
        }
        return used;
    }

    private int index(byte[] bytes, int offset, int length) {
        int used = (int) Math.min(length, boxEnd - position);
        if (indexFill + used > index.length) {
            index = Arrays.copyOf(index, (int) Math.min(boxEnd - indexStart, Math.max(2L * index.length,
                    indexFill + used)));
        }
        System.arraycopy(bytes, offset, index, indexFill, used);
        indexFill += used;
        position += used;
        if (position == boxEnd) {
            moov = index;
            index = null;
            nextBox();
        }
        return used;
    }

    private int passOver(int length) {
        int used = (int) Math.min(length, skippable());
        skip(used);
        return used;
    }

    /** A box header of {@code headerSize} bytes is whole, and {@link #position} is just past it. */
    private void opened(int headerSize) {
        long size = headerSize == LARGE_HEADER ? Bytes.s64(header, HEADER) : Bytes.u32(header, 0);
        String type = Bytes.fourcc(header, 4);
        String damage = !printable(header) ? "a damaged box header at byte " + boxStart
                : size != 0 && size < headerSize
                        ? "the '" + type + "' box at byte " + boxStart + " claims " + Long.toUnsignedString(size) + " bytes"
                        : null;
        if (damage != null) {
            if (moov != null) {
                state = State.TRAILER; // what follows a whole index is not boxes: ignored, as players do
            } else {
                fail(damage);
            }
            return;
        }
        media |= type.equals("mdat");
        boxEnd = size == 0 ? TO_THE_END : boxStart + size;
        if (type.equals("moov") && moov == null) {
            if (size == 0 || size > MAX_INDEX_BYTES) {
                fail("its 'moov' box at byte " + boxStart + " is " + (size == 0 ? "of no stated size" : size
                        + " bytes") + ", over the " + MAX_INDEX_BYTES + " bytes the probe reads of an index");
                return;
            }
            index = new byte[(int) Math.min(size, FIRST_INDEX_BUFFER)];
            System.arraycopy(header, 0, index, 0, headerSize);
            indexFill = headerSize;
            indexStart = boxStart;
            state = State.INDEX;
            if (position == boxEnd) {
                moov = index;
                nextBox();
            }
        } else {
            state = State.SKIP;
            if (position == boxEnd) {
                nextBox();
            }
        }
    }

    private void nextBox() {
        state = State.HEADER;
        boxStart = position;
    }

    private static boolean printable(byte[] header) {
        for (int i = 4; i < HEADER; i++) {
            if (header[i] < 0x20 || header[i] > 0x7E) {
                return false;
            }
        }
        return true;
    }
}

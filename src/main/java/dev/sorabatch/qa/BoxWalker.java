package dev.sorabatch.qa;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/**
 * Follows an MP4 file's box structure (ISO/IEC 14496-12 §4.2: 32-bit size and type, a 64-bit size after them when
 * the size is 1, a size of 0 for a box that runs to the end) from bytes pushed to it in order, in pieces of any size.
 * It goes into the boxes on the way to the facts, {@code moov} > {@code trak} > {@code mdia} > {@code minf} >
 * {@code stbl}, reads the start of {@code mvhd}, {@code tkhd}, {@code hdlr} and {@code stsd}, and passes over every
 * other box by counting its bytes: {@code mdat} before or after {@code moov} costs nothing, and the sample tables
 * inside {@code stbl} are not kept either.
 * <p>
 * Memory does not depend on the file: at most {@value #KEPT_BYTES} bytes of a box are kept (the fields read lie in
 * its first few hundred), one box at a time, and at most {@value #MAX_TRACKS} tracks. Damage ends the walk with a
 * reason, never an exception.
 */
final class BoxWalker {

    static final int KEPT_BYTES = 4096;
    static final int MAX_TRACKS = 64;

    /** Containers gone into, as parent/child ("" is the top level). */
    private static final Set<String> CONTAINERS = Set.of("/moov", "moov/trak", "trak/mdia", "mdia/minf", "minf/stbl");
    /** Boxes whose start is read. */
    private static final Set<String> READ = Set.of("moov/mvhd", "trak/tkhd", "mdia/hdlr", "stbl/stsd");
    private static final int MAX_DEPTH = 5;
    private static final int HEADER = 8;
    private static final int LARGE_HEADER = 16;
    private static final long TO_THE_END = Long.MAX_VALUE;
    private static final int FIXED_ONE = 0x10000;

    private enum State { HEADER, KEEP, SKIP, TRAILER, FAILED }

    private State state = State.HEADER;
    private long position;

    private final String[] openTypes = new String[MAX_DEPTH];
    private final long[] openEnds = new long[MAX_DEPTH];
    private int depth;

    private final byte[] header = new byte[LARGE_HEADER];
    private int headerFill;
    private long boxStart;
    private String boxType;
    private long boxEnd;
    private final byte[] kept = new byte[KEPT_BYTES];
    private int keptFill;
    private int keptWanted;

    private String failure;
    private boolean moovDone;
    private boolean media;
    private Optional<Duration> duration = Optional.empty();
    private int tracks;
    private Track track;
    private Track video;
    private Track audio;

    /** What is gathered of one track until its {@code trak} box ends. */
    private static final class Track {
        String handler = "";
        int rotation;
        SampleEntry entry;
    }

    /** Takes the next {@code length} bytes of the file. */
    void accept(byte[] bytes, int offset, int length) {
        try {
            walk(bytes, offset, length);
        } catch (RuntimeException e) {
            fail(fault(e));
        }
    }

    private void walk(byte[] bytes, int offset, int length) {
        while (length > 0 && walking()) {
            int used = switch (state) {
                case HEADER -> header(bytes, offset, length);
                case KEEP -> keep(bytes, offset, length);
                default -> passOver(length);
            };
            offset += used;
            length -= used;
        }
        position += length;
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
        try {
            advance(count);
        } catch (RuntimeException e) {
            fail(fault(e));
        }
    }

    private void advance(long count) {
        position += count;
        if (state == State.SKIP && position == boxEnd) {
            boxDone();
        }
    }

    /** Ends the walk for a reason found outside it. */
    void fail(String reason) {
        if (state != State.FAILED) {
            failure = reason;
            state = State.FAILED;
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

    private ClipFacts gathered() {
        if (state == State.FAILED) {
            return ClipFacts.unreadable(failure);
        }
        if (!moovDone) {
            return ClipFacts.unreadable(position == 0 ? "the file is empty"
                    : depth > 0 ? "it ends inside its 'moov' box: cut off"
                    : "no 'moov' box: not an MP4 file, or cut off before its index");
        }
        // a file cut right after its index (faststart) still has no media data
        boolean cutOff = !media || (state == State.HEADER ? headerFill > 0 : state == State.SKIP && boxEnd != TO_THE_END);
        if (video == null) {
            return new ClipFacts(duration, 0, 0, 0, Optional.empty(), audioCodec(), cutOff, Optional.empty());
        }
        return new ClipFacts(duration, video.entry.width(), video.entry.height(), video.rotation,
                Optional.of(video.entry.videoCodec()), audioCodec(), cutOff, Optional.empty());
    }

    private Optional<String> audioCodec() {
        return audio == null ? Optional.empty() : Optional.of(audio.entry.audioCodec());
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

    private int keep(byte[] bytes, int offset, int length) {
        int used = Math.min(length, keptWanted - keptFill);
        System.arraycopy(bytes, offset, kept, keptFill, used);
        keptFill += used;
        position += used;
        if (keptFill == keptWanted) {
            keptAll();
        }
        return used;
    }

    private int passOver(int length) {
        int used = (int) Math.min(length, skippable());
        advance(used);
        return used;
    }

    /** A box header of {@code headerSize} bytes is whole, and {@link #position} is just past it. */
    private void opened(int headerSize) {
        long size = headerSize == LARGE_HEADER ? Bytes.s64(header, HEADER) : Bytes.u32(header, 0);
        String type = Bytes.fourcc(header, 4);
        long parentEnd = depth == 0 ? TO_THE_END : openEnds[depth - 1];
        String damage = null;
        if (!printable(header)) {
            damage = "a damaged box header at byte " + boxStart;
        } else if (size != 0 && (size < headerSize || size > parentEnd - boxStart)) {
            damage = depth == 0 || size < headerSize
                    ? "the '" + type + "' box at byte " + boxStart + " claims " + Long.toUnsignedString(size) + " bytes"
                    : "the '" + type + "' box at byte " + boxStart + " runs past the end of its '"
                            + openTypes[depth - 1] + "' box";
        }
        if (damage != null) {
            if (depth == 0 && moovDone) {
                state = State.TRAILER; // what follows a whole index is not boxes: ignored, as players do
            } else {
                fail(damage);
            }
            return;
        }
        long end = size == 0 ? parentEnd : boxStart + size;
        media |= depth == 0 && type.equals("mdat");
        String path = (depth == 0 ? "" : openTypes[depth - 1]) + "/" + type;
        if (CONTAINERS.contains(path) && !moovDone) {
            if (type.equals("trak") && !startTrack()) {
                return;
            }
            openTypes[depth] = type;
            openEnds[depth] = end;
            depth++;
            boxDone();
        } else if (READ.contains(path)) {
            boxType = type;
            boxEnd = end;
            keptFill = 0;
            keptWanted = (int) Math.min(KEPT_BYTES, end - position);
            state = State.KEEP;
            if (keptWanted == 0) {
                keptAll();
            }
        } else {
            boxEnd = end;
            state = State.SKIP;
            if (position == boxEnd) {
                boxDone();
            }
        }
    }

    /** The wanted start of a box is in {@link #kept}: read it, then pass over the rest of the box. */
    private void keptAll() {
        read(boxType, keptFill);
        if (state == State.KEEP) {
            state = State.SKIP;
            if (position == boxEnd) {
                boxDone();
            }
        }
    }

    /** Ready for the next box: the containers that end here are closed. */
    private void boxDone() {
        state = State.HEADER;
        while (depth > 0 && position == openEnds[depth - 1]) {
            depth--;
            closed(openTypes[depth]);
        }
        boxStart = position;
        if (depth > 0 && openEnds[depth - 1] - position < HEADER) {
            // a container's last bytes too few for a box (QuickTime writers end some with zeros): passed over
            boxEnd = openEnds[depth - 1];
            state = State.SKIP;
        }
    }

    private boolean startTrack() {
        if (++tracks > MAX_TRACKS) {
            fail("more than " + MAX_TRACKS + " tracks");
            return false;
        }
        track = new Track();
        return true;
    }

    /** The start of a box whose fields are wanted, {@code length} bytes of it in {@link #kept}. */
    private void read(String type, int length) {
        switch (type) {
            case "mvhd" -> movieHeader(length);
            case "tkhd" -> track.rotation = rotation(length);
            case "hdlr" -> track.handler = length >= 12 ? Bytes.fourcc(kept, 8) : "";
            case "stsd" -> track.entry = new SampleEntry(Arrays.copyOf(kept, length));
            default -> throw new IllegalStateException(type);
        }
    }

    /** §8.2.2: version, flags, two times, then the time scale and the duration (32 or 64 bits by version). */
    private void movieHeader(int length) {
        boolean wide = length > 0 && kept[0] == 1;
        int scaleAt = wide ? 20 : 12;
        if (length < scaleAt + (wide ? 12 : 8)) {
            fail("its 'mvhd' box is too short");
            return;
        }
        long scale = Bytes.u32(kept, scaleAt);
        long units = wide ? Bytes.s64(kept, scaleAt + 4) : Bytes.u32(kept, scaleAt + 4);
        boolean unknown = scale == 0 || units <= 0 || !wide && units == 0xFFFF_FFFFL;
        duration = unknown ? Optional.empty()
                : Optional.of(Duration.ofSeconds(units / scale, (units % scale) * 1_000_000_000L / scale));
    }

    /**
     * §8.3.2: the display matrix after version, flags, times, ids, duration, layer, group and volume; its first
     * column (a, b) in 16.16 fixed point. Counter-clockwise degrees as FFmpeg's av_display_rotation_get
     * (libavutil/display.c) gives them; anything but quarter turns reads as none.
     */
    private int rotation(int length) {
        int matrixAt = length > 0 && kept[0] == 1 ? 52 : 40;
        if (length < matrixAt + 8) {
            return 0;
        }
        int a = (int) Bytes.u32(kept, matrixAt);
        int b = (int) Bytes.u32(kept, matrixAt + 4);
        if (a == 0 && b == -FIXED_ONE) {
            return 90;
        }
        if (a == -FIXED_ONE && b == 0) {
            return 180;
        }
        if (a == 0 && b == FIXED_ONE) {
            return 270;
        }
        return 0;
    }

    private void closed(String type) {
        if (type.equals("moov")) {
            moovDone = true;
        } else if (type.equals("trak")) {
            if (track.entry != null && track.entry.present()) {
                if (video == null && track.handler.equals("vide")) {
                    video = track;
                } else if (audio == null && track.handler.equals("soun")) {
                    audio = track;
                }
            }
            track = null;
        }
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

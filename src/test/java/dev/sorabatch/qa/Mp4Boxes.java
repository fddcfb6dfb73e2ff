package dev.sorabatch.qa;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** MP4 boxes built by hand for the probe's tests, and the top-level boxes of a real file. */
final class Mp4Boxes {

    static final int ONE = 0x10000;

    private Mp4Boxes() {
    }

    /** A box of the given type around the given parts, with a 32-bit size. */
    static byte[] box(String type, byte[]... parts) {
        byte[] content = concat(parts);
        return ByteBuffer.allocate(8 + content.length).putInt(8 + content.length).put(ascii(type)).put(content).array();
    }

    /** A box with a 64-bit size (size field 1). */
    static byte[] largeBox(String type, byte[] content) {
        return ByteBuffer.allocate(16 + content.length).putInt(1).put(ascii(type)).putLong(16 + content.length)
                .put(content).array();
    }

    /** A box with size 0: it runs to the end of what holds it. */
    static byte[] openBox(String type, byte[] content) {
        return ByteBuffer.allocate(8 + content.length).putInt(0).put(ascii(type)).put(content).array();
    }

    static byte[] mvhd(int version, long timescale, long duration) {
        ByteBuffer b = ByteBuffer.allocate(version == 1 ? 112 : 100).putInt(version << 24);
        if (version == 1) {
            b.putLong(0).putLong(0).putInt((int) timescale).putLong(duration);
        } else {
            b.putInt(0).putInt(0).putInt((int) timescale).putInt((int) duration);
        }
        return box("mvhd", b.array());
    }

    /**
     * A track header with the display matrix's first two rows' rotation part (a, b, c, d) in 16.16, and a frame of
     * 1x1 (a track without one has no turn to a reader).
     */
    static byte[] tkhd(int version, int a, int b, int c, int d) {
        ByteBuffer t = ByteBuffer.allocate(version == 1 ? 96 : 84).putInt(version << 24 | 3);
        t.put(new byte[version == 1 ? 32 : 20]).put(new byte[8]).putShort((short) 0).putShort((short) 0)
                .putShort((short) 0).putShort((short) 0);
        t.putInt(a).putInt(b).putInt(0).putInt(c).putInt(d).putInt(0).putInt(0).putInt(0).putInt(0x40000000)
                .putInt(ONE).putInt(ONE);
        return box("tkhd", t.array());
    }

    static byte[] hdlr(String handler) {
        return box("hdlr", ByteBuffer.allocate(25).putInt(0).putInt(0).put(ascii(handler)).array());
    }

    /** A sample description with one visual entry, its children after the fixed fields. */
    static byte[] stsdVisual(String code, int width, int height, byte[]... children) {
        ByteBuffer fields = ByteBuffer.allocate(78).put(new byte[6]).putShort((short) 1).put(new byte[16])
                .putShort((short) width).putShort((short) height);
        return stsd(box(code, fields.array(), concat(children)));
    }

    /** A sample description with one sound entry of the given (QuickTime) version, its children after the fields. */
    static byte[] stsdAudio(String code, int version, byte[]... children) {
        int extra = version == 1 ? 16 : version == 2 ? 36 : 0;
        ByteBuffer fields = ByteBuffer.allocate(28 + extra).put(new byte[6]).putShort((short) 1)
                .putShort((short) version).put(new byte[6]).putShort((short) 1).putShort((short) 16);
        return stsd(box(code, fields.array(), concat(children)));
    }

    private static byte[] stsd(byte[] entry) {
        return box("stsd", ByteBuffer.allocate(8).putInt(0).putInt(1).array(), entry);
    }

    /** An elementary stream descriptor with 4-byte descriptor sizes, as ffmpeg writes it. */
    static byte[] esds(int objectType) {
        byte[] decoderConfig = {0x04, (byte) 0x80, (byte) 0x80, (byte) 0x80, 13, (byte) objectType, 0x15, 0, 0, 0, 0, 0,
                0, 0, 0, 0, 0, 0};
        byte[] es = concat(new byte[] {0x03, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) (3 + decoderConfig.length),
                0, 1, 0}, decoderConfig);
        return box("esds", new byte[4], es);
    }

    /** A track: header, handler and sample description in the usual nesting. */
    static byte[] trak(byte[] tkhd, String handler, byte[] stsd) {
        return box("trak", tkhd, box("mdia", hdlr(handler), box("minf", box("stbl", stsd))));
    }

    static byte[] videoTrak(int width, int height) {
        return trak(tkhd(0, ONE, 0, 0, ONE), "vide", stsdVisual("avc1", width, height));
    }

    static byte[] soundTrak() {
        return trak(tkhd(0, ONE, 0, 0, ONE), "soun", stsdAudio("mp4a", 0, esds(0x40)));
    }

    static byte[] ftyp() {
        return box("ftyp", ascii("isom"), new byte[4], ascii("isomiso2avc1mp41"));
    }

    /** The first top-level box of the given type in a file. */
    static byte[] topLevel(byte[] file, String type) {
        ByteBuffer b = ByteBuffer.wrap(file);
        while (b.remaining() >= 8) {
            int start = b.position();
            long size = Integer.toUnsignedLong(b.getInt());
            String found = new String(file, start + 4, 4, StandardCharsets.ISO_8859_1);
            if (size == 1) {
                size = b.getLong(start + 8);
            }
            if (found.equals(type)) {
                return Arrays.copyOfRange(file, start, start + (int) size);
            }
            b.position(start + (int) size);
        }
        throw new IllegalArgumentException("no top-level '" + type + "' box");
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}

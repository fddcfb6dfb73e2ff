package dev.sorabatch.qa;

import java.nio.charset.StandardCharsets;

/** Big-endian fields of MP4 boxes, read from a byte array (the caller checks the bounds). */
final class Bytes {

    private Bytes() {
    }

    static long u32(byte[] b, int at) {
        return Integer.toUnsignedLong((b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8
                | b[at + 3] & 0xFF);
    }

    /** A 64-bit field; one above {@link Long#MAX_VALUE} reads negative. */
    static long s64(byte[] b, int at) {
        return u32(b, at) << 32 | u32(b, at + 4);
    }

    static String fourcc(byte[] b, int at) {
        return new String(b, at, 4, StandardCharsets.ISO_8859_1);
    }
}

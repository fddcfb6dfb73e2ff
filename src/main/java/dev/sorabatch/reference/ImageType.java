package dev.sorabatch.reference;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The image formats an {@code input_reference} may hold, recognised by their first bytes (never by a file name or a
 * declared type): the PNG signature (PNG spec §5.2), the JPEG start-of-image marker followed by a marker, {@code GIF87a}
 * or {@code GIF89a}, and a RIFF container of form type {@code WEBP} (WebP container spec).
 */
enum ImageType {
    PNG("image/png", "png"),
    JPEG("image/jpeg", "jpg"),
    WEBP("image/webp", "webp"),
    GIF("image/gif", "gif");

    static final String NAMES = "PNG, JPEG, WebP or GIF";

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    final String mediaType;
    final String extension;

    ImageType(String mediaType, String extension) {
        this.mediaType = mediaType;
        this.extension = extension;
    }

    static Optional<ImageType> sniff(byte[] bytes) {
        if (starts(bytes, 0, PNG_SIGNATURE)) {
            return Optional.of(PNG);
        }
        if (bytes.length >= 3 && (bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xFF) == 0xD8 && (bytes[2] & 0xFF) == 0xFF) {
            return Optional.of(JPEG);
        }
        if (starts(bytes, 0, ascii("GIF87a")) || starts(bytes, 0, ascii("GIF89a"))) {
            return Optional.of(GIF);
        }
        if (starts(bytes, 0, ascii("RIFF")) && starts(bytes, 8, ascii("WEBP"))) {
            return Optional.of(WEBP);
        }
        return Optional.empty();
    }

    /** The format a declared media type names ({@code image/jpg} too), ignoring case and parameters. */
    static Optional<ImageType> ofMediaType(String mediaType) {
        String type = mediaType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        return type.equals("image/jpg") ? Optional.of(JPEG)
                : Arrays.stream(values()).filter(t -> t.mediaType.equals(type)).findFirst();
    }

    private static boolean starts(byte[] bytes, int offset, byte[] prefix) {
        return bytes.length >= offset + prefix.length
                && Arrays.equals(bytes, offset, offset + prefix.length, prefix, 0, prefix.length);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}

package dev.sorabatch.provider;

import java.util.Locale;

/** Downloadable assets of a finished job. */
public enum Variant {
    VIDEO("video/mp4", "mp4"), THUMBNAIL("image/webp", "webp");

    private final String contentType;
    private final String extension;

    Variant(String contentType, String extension) {
        this.contentType = contentType;
        this.extension = extension;
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String contentType() {
        return contentType;
    }

    public String extension() {
        return extension;
    }
}

package dev.sorabatch.provider;

import java.util.Locale;

/** Downloadable assets of a finished job. */
public enum Variant {
    VIDEO("video/mp4"), THUMBNAIL("image/webp");

    private final String contentType;

    Variant(String contentType) {
        this.contentType = contentType;
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String contentType() {
        return contentType;
    }
}

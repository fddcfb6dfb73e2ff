package dev.sorabatch.provider;

import java.util.Base64;

/**
 * A first-frame image to send with a create, already read and checked by the pipeline: providers get its bytes,
 * never the reference it was read from.
 *
 * @param contentType the type its bytes show, e.g. {@code image/png}
 */
public record ReferenceImage(byte[] bytes, String contentType, String fileName) {

    /** {@code data:image/png;base64,…}, the form JSON APIs (Runway, fal, Replicate) take an image in. */
    public String dataUri() {
        return "data:" + contentType + ";base64," + Base64.getEncoder().encodeToString(bytes);
    }

    /** The length of {@link #dataUri()}, without building it. */
    public long dataUriLength() {
        return "data:".length() + contentType.length() + ";base64,".length() + 4L * ((bytes.length + 2) / 3);
    }
}

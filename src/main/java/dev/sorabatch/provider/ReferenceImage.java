package dev.sorabatch.provider;

/**
 * A first-frame image to send with a create, already read and checked by the pipeline: providers get its bytes,
 * never the reference it was read from.
 *
 * @param contentType the type its bytes show, e.g. {@code image/png}
 */
public record ReferenceImage(byte[] bytes, String contentType, String fileName) {
}

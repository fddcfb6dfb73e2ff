package dev.sorabatch.output;

import java.io.IOException;
import java.io.InputStream;

/**
 * Where a batch's videos, thumbnails and manifests go: {@code <output>/<batch>/<relative path>}.
 * Implementations stream (never the whole object on the heap), hash on the way, and make an object visible only
 * once it is complete, so a reader never sees half a video or half a manifest.
 */
public interface OutputStore {

    StoredObject write(String batch, String relativePath, InputStream body, String contentType) throws IOException;

    /** A human-readable location for logs, e.g. the absolute folder of a batch. */
    String location(String batch, String relativePath);
}

package dev.sorabatch.output;

import java.io.IOException;
import java.io.InputStream;

/**
 * Where a batch's videos, thumbnails and manifests go: {@code <output>/<batch>/<relative path>}.
 * Implementations stream (never the whole object on the heap), hash on the way, and make an object visible only
 * once it is complete, so a reader never sees half a video or half a manifest.
 */
public interface OutputStore {

    /**
     * @param batch        the batch's folder name: one path segment
     * @param relativePath where in the batch folder, {@code /}-separated, e.g. {@code videos/<key>.mp4}
     * @param body         read to its end; the caller closes it
     * @param length       the body's size in bytes when known (e.g. from a Content-Length), else -1
     * @throws IllegalArgumentException if the path would leave the batch folder
     * @throws IOException              if the object could not be stored (the caller may retry)
     */
    StoredObject write(String batch, String relativePath, InputStream body, long length, String contentType)
            throws IOException;

    /** A human-readable location for logs, e.g. the absolute folder of a batch. */
    String location(String batch, String relativePath);

    /**
     * Proves at start-up that objects can be stored here (creating a missing folder), so that a read-only, full or
     * misspelt output stops the start with the reason instead of failing every video later.
     *
     * @throws IOException saying where and why nothing can be stored
     */
    void check() throws IOException;

    /**
     * A failure to store as a user can act on it: "No space left on device", or with its type where that says
     * more than the message ("AccessDeniedException: /out/b/videos/x.mp4").
     */
    static String describe(Exception e) {
        String message = e.getMessage();
        if (message == null) {
            return e.getClass().getSimpleName();
        }
        return e.getClass() == IOException.class ? message : e.getClass().getSimpleName() + ": " + message;
    }
}

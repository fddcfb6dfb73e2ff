package dev.sorabatch.output;

/** The path of an object inside the output, shared by every {@link OutputStore}. */
final class OutputPaths {

    private OutputPaths() {
    }

    /**
     * {@code <batch>/<relativePath>}, checked to stay inside the batch folder: the batch is one path segment and the
     * relative path is a plain {@code /}-separated path, with no empty, {@code .} or {@code ..} segment and no
     * backslash. Ids are sanitised at ingest; this is the last line of defence against a path leaving the batch
     * folder.
     *
     * @throws IllegalArgumentException if it would not stay inside
     */
    static String inBatch(String batch, String relativePath) {
        if (!isSegment(batch) || relativePath.isEmpty()) {
            throw escapes(batch, relativePath);
        }
        for (String segment : relativePath.split("/", -1)) {
            if (!isSegment(segment)) {
                throw escapes(batch, relativePath);
            }
        }
        return batch + "/" + relativePath;
    }

    private static boolean isSegment(String s) {
        return !s.isEmpty() && !s.equals(".") && !s.equals("..") && s.indexOf('/') < 0 && s.indexOf('\\') < 0
                && s.indexOf('\0') < 0;
    }

    private static IllegalArgumentException escapes(String batch, String relativePath) {
        return new IllegalArgumentException("output path escapes the batch folder: " + batch + "/" + relativePath);
    }
}

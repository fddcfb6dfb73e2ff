package dev.sorabatch.ingest;

/**
 * Caps on one prompt file ({@code sora.input.max-*}), so that a file built to exhaust memory or the reader ends with
 * a clear reason instead. Lengths are in characters.
 *
 * @param maxFileBytes    size of the file; a larger one is set aside without being read further
 * @param maxLineLength   one request as written: a line of a .jsonl file, a record of a .csv file (which may span
 *                        lines inside quotes), a request object (or the defaults) of a .json file; a longer one
 *                        sets the file aside, since nothing after it can be found without reading it whole
 * @param maxCellLength   one value: a CSV cell or a JSON string; a longer one rejects its row (a .json file, which
 *                        cannot be read past it, is set aside)
 * @param maxNestingDepth JSON arrays and objects inside one another, counted from the file's top level
 * @param maxRows         requests in one file; more set the file aside
 * @param maxColumns      columns of a CSV header (more set the file aside), fields of one JSON request (more reject
 *                        the row)
 */
public record ReadLimits(long maxFileBytes, int maxLineLength, int maxCellLength, int maxNestingDepth, int maxRows,
                         int maxColumns) {

    public ReadLimits {
        if (maxFileBytes < 1 || maxLineLength < 1 || maxCellLength < 1 || maxNestingDepth < 1 || maxRows < 1
                || maxColumns < 1) {
            throw new IllegalArgumentException("every read limit must be at least 1");
        }
    }
}

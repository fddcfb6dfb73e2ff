package dev.sorabatch.ingest;

import java.util.Map;

/**
 * One request as read from a file, before validation.
 *
 * @param row        1-based position of the request in the file (CSV: record after the header;
 *                   JSON: array index + 1; JSONL: ordinal of the non-blank line)
 * @param fields     field name to value; JSON input keeps JSON types (String, Number, Boolean, List, Map,
 *                   null), CSV input holds non-blank cells as strings under the trimmed column name.
 *                   Empty when {@code parseError} is set
 * @param parseError why the row could not be read at all (a JSONL line or JSON array element that is
 *                   not an object, a CSV record with the wrong number of values), else null
 */
public record RawRow(int row, Map<String, Object> fields, String parseError) {
}

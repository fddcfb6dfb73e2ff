package dev.sorabatch.ingest;

/**
 * Summary of a completely read file.
 *
 * @param batchName the {@code "batch"} value of a JSON object file, else null
 * @param format    {@code json}, {@code jsonl} or {@code csv}
 * @param rows      number of rows passed to the sink, rejected ones included
 */
public record ReadResult(String batchName, String format, int rows) {
}

package dev.sorabatch.output;

/** What was written: its path relative to the batch folder, its size and its SHA-256 (hex). */
public record StoredObject(String path, long bytes, String sha256) {
}

package dev.sorabatch.store;

/**
 * The row that holds an item key or an id in a batch.
 *
 * @param key the key as the holder wrote it (for an id: the holder's sanitised id)
 */
public record KeyOwner(int row, String requestId, String key) {
}

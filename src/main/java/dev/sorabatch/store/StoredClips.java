package dev.sorabatch.store;

/**
 * The stored clips of a batch that cost the same per second: one provider, model, size, resolution and sound.
 *
 * @param resolution null on items stored before the catalogue settled it (their size tells it)
 * @param audio      null on items stored before sound was recorded
 * @param seconds    their total length
 */
public record StoredClips(String provider, String model, String size, String resolution, Boolean audio, long seconds) {
}

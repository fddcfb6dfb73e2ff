package dev.sorabatch.store;

/**
 * What the probe of a stored video found and what it flagged (V7 {@code item_qa}).
 *
 * @param durationMillis null when the file states no length
 * @param flagsJson      a JSON array of {@code {"code", "message"}} objects; {@code []} when the clip passed
 */
public record ClipReport(long itemId, Long durationMillis, int width, int height, String videoCodec, String audioCodec,
                         String flagsJson) {

    public boolean flagged() {
        return !flagsJson.equals("[]");
    }
}

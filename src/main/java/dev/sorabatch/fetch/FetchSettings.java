package dev.sorabatch.fetch;

import dev.sorabatch.settings.Settings;

/** {@code sora.output.thumbnails}: whether each video's thumbnail is fetched too. */
public record FetchSettings(boolean thumbnails) {

    public static FetchSettings from(Settings s) {
        return new FetchSettings(s.flag("sora.output.thumbnails"));
    }
}

package dev.sorabatch.lifecycle;

import dev.sorabatch.settings.Settings;

/**
 * {@code sora.once}, {@code sora.progress.interval} (read by its route; checked here: above 0) and
 * {@code sora.progress.bar} (live bars instead of progress lines in once mode on a terminal).
 */
public record RunSettings(boolean once, boolean progressBar) {

    public static RunSettings from(Settings s) {
        s.millis("sora.progress.interval", 1);
        return new RunSettings(s.flag("sora.once"), s.flag("sora.progress.bar"));
    }
}

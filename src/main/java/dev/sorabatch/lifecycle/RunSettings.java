package dev.sorabatch.lifecycle;

import dev.sorabatch.settings.Settings;

/** {@code sora.once} and {@code sora.progress.interval} (read by its route; checked here: above 0). */
public record RunSettings(boolean once) {

    public static RunSettings from(Settings s) {
        s.millis("sora.progress.interval", 1);
        return new RunSettings(s.flag("sora.once"));
    }
}

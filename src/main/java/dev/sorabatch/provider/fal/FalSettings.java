package dev.sorabatch.provider.fal;

import dev.sorabatch.provider.http.HttpSettings;
import dev.sorabatch.settings.Settings;

/** {@code sora.fal.*}: where fal's queue is and its key ({@code FAL_KEY}, as fal's clients read it). */
public record FalSettings(String baseUrl, String apiKey) {

    @Override
    public String toString() {
        return "FalSettings[" + baseUrl + "]"; // never the key
    }

    public static FalSettings from(Settings s) {
        return new FalSettings(HttpSettings.baseUrl(s, "sora.fal.base-url"),
                HttpSettings.apiKey(s, "sora.fal.api-key", "FAL_KEY"));
    }
}

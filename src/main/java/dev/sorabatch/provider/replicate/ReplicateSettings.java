package dev.sorabatch.provider.replicate;

import dev.sorabatch.provider.http.HttpSettings;
import dev.sorabatch.settings.Settings;

/** {@code sora.replicate.*}: where Replicate's API is and its token ({@code REPLICATE_API_TOKEN}, as its SDKs read it). */
public record ReplicateSettings(String baseUrl, String apiToken) {

    @Override
    public String toString() {
        return "ReplicateSettings[" + baseUrl + "]"; // never the token
    }

    public static ReplicateSettings from(Settings s) {
        return new ReplicateSettings(HttpSettings.baseUrl(s, "sora.replicate.base-url"),
                HttpSettings.apiKey(s, "sora.replicate.api-token", "REPLICATE_API_TOKEN"));
    }
}

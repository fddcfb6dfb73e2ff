package dev.sorabatch.provider.runway;

import dev.sorabatch.provider.http.HttpSettings;
import dev.sorabatch.settings.SettingException;
import dev.sorabatch.settings.Settings;

/**
 * {@code sora.runway.*}: where Runway's API is, its key ({@code RUNWAYML_API_SECRET}, as Runway's SDKs read it) and
 * the API version sent as {@code X-Runway-Version} (required by Runway: 400 without it).
 */
public record RunwaySettings(String baseUrl, String apiKey, String apiVersion) {

    @Override
    public String toString() {
        return "RunwaySettings[" + baseUrl + ", " + apiVersion + "]"; // never the key
    }

    public static RunwaySettings from(Settings s) {
        String version = s.text("sora.runway.api-version").strip();
        if (!version.matches("\\d{4}-\\d{2}-\\d{2}")) {
            throw new SettingException("sora.runway.api-version", "must be a date such as 2024-11-06, got '" + version + "'");
        }
        return new RunwaySettings(HttpSettings.baseUrl(s, "sora.runway.base-url"),
                HttpSettings.apiKey(s, "sora.runway.api-key", "RUNWAYML_API_SECRET"), version);
    }
}

package dev.sorabatch.provider.http;

import dev.sorabatch.provider.Redactor;
import dev.sorabatch.settings.SettingException;
import dev.sorabatch.settings.Settings;

/** The settings every HTTP adapter reads the same way: where the service is and its key. */
public final class HttpSettings {

    private HttpSettings() {
    }

    /** An {@code http://} or {@code https://} URL. */
    public static String baseUrl(Settings s, String key) {
        String url = s.text(key).strip();
        if (!url.startsWith("https://") && !url.startsWith("http://")) {
            throw new SettingException(key, "must be an http:// or https:// URL, got '" + url + "'");
        }
        return url;
    }

    /**
     * A key that must be given, usually through the vendor's own environment variable; from now on it is redacted
     * from whatever a provider sends back.
     */
    public static String apiKey(Settings s, String key, String environmentVariable) {
        String value = s.text(key, "").strip();
        if (value.isEmpty()) {
            throw new SettingException(key, "is empty: set " + environmentVariable);
        }
        Redactor.addSecret(value);
        return value;
    }
}

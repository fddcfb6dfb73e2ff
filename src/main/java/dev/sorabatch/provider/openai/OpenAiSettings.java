package dev.sorabatch.provider.openai;

import java.util.Map;

import dev.sorabatch.provider.Redactor;
import dev.sorabatch.settings.SettingException;
import dev.sorabatch.settings.Settings;

/**
 * {@code sora.openai.*}: where the Videos API is and how to sign in; also what the built-in simulator is reached
 * with ({@link #simulator}).
 *
 * @param name       recorded in batches and manifests: {@code openai} or {@code simulator}
 * @param authHeader {@code Authorization} (sends {@code Bearer <key>}) or {@code api-key} (Azure)
 * @param modelMap   request model → wire model, e.g. an Azure deployment name
 */
public record OpenAiSettings(String name, String baseUrl, String authHeader, String apiKey,
                             Map<String, String> modelMap) {

    public OpenAiSettings {
        modelMap = Map.copyOf(modelMap);
    }

    @Override
    public String toString() {
        return "OpenAiSettings[" + name + ", " + baseUrl + "]"; // never the key
    }

    public static OpenAiSettings from(Settings s) {
        String key = s.text("sora.openai.api-key", "");
        if (key.isEmpty()) {
            throw new SettingException("sora.openai.api-key", "is empty: set OPENAI_API_KEY");
        }
        Redactor.addSecret(key);
        String header = s.text("sora.openai.auth-header");
        if (!header.equalsIgnoreCase("authorization") && !header.equalsIgnoreCase("api-key")) {
            throw new SettingException("sora.openai.auth-header", "must be Authorization or api-key");
        }
        String baseUrl = s.text("sora.openai.base-url");
        if (!baseUrl.startsWith("https://") && !baseUrl.startsWith("http://")) {
            throw new SettingException("sora.openai.base-url", "must be an http:// or https:// URL, got '" + baseUrl + "'");
        }
        return new OpenAiSettings("openai", baseUrl, header, key, s.map("sora.openai.model-map"));
    }

    /** The built-in simulator at {@code baseUrl}, presenting {@code apiKey}; the model map still applies. */
    public static OpenAiSettings simulator(String baseUrl, String apiKey, Map<String, String> modelMap) {
        return new OpenAiSettings("simulator", baseUrl, "Authorization", apiKey, modelMap);
    }
}

package dev.sorabatch.provider.openai;

import java.util.Map;

import dev.sorabatch.provider.http.HttpSettings;
import dev.sorabatch.settings.SettingException;
import dev.sorabatch.settings.Settings;

/**
 * {@code sora.openai.*}: where the Videos API is and how to sign in; also what the built-in simulator is reached
 * with ({@link #simulator}).
 *
 * @param name              recorded in batches and manifests: {@code openai} or {@code simulator}
 * @param authHeader        {@code Authorization} (sends {@code Bearer <key>}) or {@code api-key} (Azure)
 * @param modelMap          request model → wire model, e.g. an Azure deployment name
 * @param idempotencyHeader the header a gateway deduplicates creates on (e.g. {@code Idempotency-Key}), or empty:
 *                          OpenAI documents none for the Videos API, so by default no key is sent and an ambiguous
 *                          create is settled by listing
 */
public record OpenAiSettings(String name, String baseUrl, String authHeader, String apiKey,
                             Map<String, String> modelMap, String idempotencyHeader) {

    public OpenAiSettings {
        modelMap = Map.copyOf(modelMap);
    }

    @Override
    public String toString() {
        return "OpenAiSettings[" + name + ", " + baseUrl + "]"; // never the key
    }

    public static OpenAiSettings from(Settings s) {
        String key = HttpSettings.apiKey(s, "sora.openai.api-key", "OPENAI_API_KEY");
        String header = s.text("sora.openai.auth-header");
        if (!header.equalsIgnoreCase("authorization") && !header.equalsIgnoreCase("api-key")) {
            throw new SettingException("sora.openai.auth-header", "must be Authorization or api-key");
        }
        return new OpenAiSettings("openai", HttpSettings.baseUrl(s, "sora.openai.base-url"), header, key,
                s.map("sora.openai.model-map"), s.text("sora.openai.idempotency-header", "").strip());
    }

    /** The built-in simulator at {@code baseUrl}, presenting {@code apiKey}; the model map still applies. */
    public static OpenAiSettings simulator(String baseUrl, String apiKey, Map<String, String> modelMap) {
        return new OpenAiSettings("simulator", baseUrl, "Authorization", apiKey, modelMap, "");
    }
}

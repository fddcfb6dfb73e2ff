package dev.sorabatch.provider.pixazo;

import java.util.Map;

import dev.sorabatch.provider.http.HttpSettings;
import dev.sorabatch.settings.SettingException;
import dev.sorabatch.settings.Settings;

/**
 * {@code sora.pixazo.*}: where the gateway is, its subscription key ({@code PIXAZO_API_KEY}, as Pixazo's own tools
 * read it) and the generate path of any model beyond the ones the adapter knows.
 *
 * @param modelPaths model id → generate path below the base URL, e.g. {@code veo-3.1=/veo/v1/veo-3.1/generate}
 */
public record PixazoSettings(String baseUrl, String apiKey, Map<String, String> modelPaths) {

    public PixazoSettings {
        modelPaths = Map.copyOf(modelPaths);
    }

    @Override
    public String toString() {
        return "PixazoSettings[" + baseUrl + ", " + modelPaths + "]"; // never the key
    }

    public static PixazoSettings from(Settings s) {
        Map<String, String> paths = modelPaths(s);
        return new PixazoSettings(HttpSettings.baseUrl(s, "sora.pixazo.base-url"),
                HttpSettings.apiKey(s, "sora.pixazo.api-key", "PIXAZO_API_KEY"), paths);
    }

    /** {@code sora.pixazo.model-paths}, checked: also what the simulated gateway is given. */
    public static Map<String, String> modelPaths(Settings s) {
        Map<String, String> paths = s.map("sora.pixazo.model-paths");
        paths.forEach((model, path) -> {
            if (!path.startsWith("/") || !path.endsWith("/generate")) {
                throw new SettingException("sora.pixazo.model-paths", "the path of " + model
                        + " must start with / and end with /generate, got '" + path + "'");
            }
        });
        return paths;
    }
}

package dev.sorabatch;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/** The one source of the settings the test harnesses start the pipeline with. */
public final class TestSettings {

    private TestSettings() {
    }

    /** The fast defaults of {@code test-settings.properties}. */
    public static Map<String, String> fast() {
        Properties props = new Properties();
        try (InputStream in = TestSettings.class.getResourceAsStream("/test-settings.properties")) {
            props.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> settings = new LinkedHashMap<>();
        props.stringPropertyNames().stream().sorted().forEach(key -> settings.put(key, props.getProperty(key)));
        return settings;
    }

    /** The OpenAI adapter against a simulator the test started itself, at {@code baseUrl}. */
    public static Map<String, String> simulatorAt(String baseUrl, String apiKey) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("sora.provider", "openai");
        settings.put("sora.openai.base-url", baseUrl);
        settings.put("sora.openai.api-key", apiKey);
        return settings;
    }
}

package dev.sorabatch.provider;

import java.util.Map;

import org.apache.camel.CamelContext;

import dev.sorabatch.provider.openai.OpenAiSettings;
import dev.sorabatch.provider.openai.OpenAiVideoProvider;
import dev.sorabatch.settings.Settings;
import dev.sorabatch.simulator.SimulatorApi;

/** The OpenAI-compatible adapter, here against a gateway that deduplicates creates on {@code Idempotency-Key}. */
class OpenAiContractTest extends ProviderContract {

    @Override
    SimulatorApi api() {
        return SimulatorApi.OPENAI;
    }

    @Override
    String catalogName() {
        return "openai";
    }

    @Override
    Map<String, String> settings(String baseUrl, String key) {
        return Map.of("sora.openai.base-url", baseUrl, "sora.openai.api-key", key,
                "sora.openai.auth-header", "Authorization", "sora.openai.model-map", "",
                "sora.openai.idempotency-header", "Idempotency-Key");
    }

    @Override
    VideoProvider adapter(CamelContext camel, Settings settings) {
        return new OpenAiVideoProvider(camel, OpenAiSettings.from(settings));
    }

    @Override
    String keySetting() {
        return "sora.openai.api-key";
    }

    @Override
    String keyVariable() {
        return "OPENAI_API_KEY";
    }

    @Override
    boolean refusesOverInFlightLimit() {
        return true;
    }

    @Override
    String failedJobCode() {
        return "video_generation_failed";
    }

    @Override
    String moderationCode() {
        return "moderation_blocked";
    }
}

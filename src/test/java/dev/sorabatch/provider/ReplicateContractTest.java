package dev.sorabatch.provider;

import java.util.Map;

import org.apache.camel.CamelContext;

import dev.sorabatch.provider.replicate.ReplicateSettings;
import dev.sorabatch.provider.replicate.ReplicateVideoProvider;
import dev.sorabatch.settings.Settings;
import dev.sorabatch.simulator.SimulatorApi;

class ReplicateContractTest extends ProviderContract {

    @Override
    SimulatorApi api() {
        return SimulatorApi.REPLICATE;
    }

    @Override
    String catalogName() {
        return "replicate";
    }

    @Override
    Map<String, String> settings(String baseUrl, String key) {
        return Map.of("sora.replicate.base-url", baseUrl, "sora.replicate.api-token", key);
    }

    @Override
    VideoProvider adapter(CamelContext camel, Settings settings) {
        return new ReplicateVideoProvider(camel, ReplicateSettings.from(settings), CATALOG);
    }

    @Override
    String keySetting() {
        return "sora.replicate.api-token";
    }

    @Override
    String keyVariable() {
        return "REPLICATE_API_TOKEN";
    }

    @Override
    boolean refusesOverInFlightLimit() {
        return false;
    }

    @Override
    String failedJobCode() {
        return "prediction_failed";
    }

    @Override
    String moderationCode() {
        return "E005";
    }
}

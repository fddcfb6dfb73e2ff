package dev.sorabatch.provider;

import java.util.Map;

import org.apache.camel.CamelContext;

import dev.sorabatch.provider.fal.FalSettings;
import dev.sorabatch.provider.fal.FalVideoProvider;
import dev.sorabatch.settings.Settings;
import dev.sorabatch.simulator.SimulatorApi;

class FalContractTest extends ProviderContract {

    @Override
    SimulatorApi api() {
        return SimulatorApi.FAL;
    }

    @Override
    String catalogName() {
        return "fal";
    }

    @Override
    Map<String, String> settings(String baseUrl, String key) {
        return Map.of("sora.fal.base-url", baseUrl, "sora.fal.api-key", key);
    }

    @Override
    VideoProvider adapter(CamelContext camel, Settings settings) {
        return new FalVideoProvider(camel, FalSettings.from(settings), CATALOG);
    }

    @Override
    String keySetting() {
        return "sora.fal.api-key";
    }

    @Override
    String keyVariable() {
        return "FAL_KEY";
    }

    @Override
    boolean refusesOverInFlightLimit() {
        return false;
    }

    @Override
    String failedJobCode() {
        return "runner_server_error";
    }

    @Override
    String moderationCode() {
        return "content_policy_violation";
    }
}

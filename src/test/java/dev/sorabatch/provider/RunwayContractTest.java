package dev.sorabatch.provider;

import java.util.Map;

import org.apache.camel.CamelContext;

import dev.sorabatch.provider.runway.RunwaySettings;
import dev.sorabatch.provider.runway.RunwayVideoProvider;
import dev.sorabatch.settings.Settings;
import dev.sorabatch.simulator.SimulatorApi;

class RunwayContractTest extends ProviderContract {

    @Override
    SimulatorApi api() {
        return SimulatorApi.RUNWAY;
    }

    @Override
    String catalogName() {
        return "runway";
    }

    @Override
    Map<String, String> settings(String baseUrl, String key) {
        return Map.of("sora.runway.base-url", baseUrl, "sora.runway.api-key", key,
                "sora.runway.api-version", "2024-11-06");
    }

    @Override
    VideoProvider adapter(CamelContext camel, Settings settings) {
        return new RunwayVideoProvider(camel, RunwaySettings.from(settings), CATALOG);
    }

    @Override
    String keySetting() {
        return "sora.runway.api-key";
    }

    @Override
    String keyVariable() {
        return "RUNWAYML_API_SECRET";
    }

    @Override
    boolean refusesOverInFlightLimit() {
        return false;
    }

    @Override
    String failedJobCode() {
        return "INTERNAL.BAD_OUTPUT.CODE01";
    }

    @Override
    String moderationCode() {
        return "SAFETY.INPUT.TEXT";
    }
}

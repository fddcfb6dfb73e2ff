package dev.sorabatch.provider;

import java.util.Map;
import java.util.function.BiFunction;

import org.apache.camel.CamelContext;

import dev.sorabatch.catalog.ModelCatalog;
import dev.sorabatch.provider.fal.FalSettings;
import dev.sorabatch.provider.fal.FalVideoProvider;
import dev.sorabatch.provider.openai.OpenAiSettings;
import dev.sorabatch.provider.openai.OpenAiVideoProvider;
import dev.sorabatch.provider.replicate.ReplicateSettings;
import dev.sorabatch.provider.replicate.ReplicateVideoProvider;
import dev.sorabatch.provider.runway.RunwaySettings;
import dev.sorabatch.provider.runway.RunwayVideoProvider;
import dev.sorabatch.settings.Settings;
import dev.sorabatch.simulator.SimulatorApi;

/**
 * Each adapter as the pipeline contract sees it: its simulator face, the settings a user gives it, and the
 * provider's own words for a failed job and a moderation refusal.
 */
public enum ContractFace {
    OPENAI(SimulatorApi.OPENAI, true, "video_generation_failed", "moderation_blocked",
            (url, key) -> Map.of("sora.openai.base-url", url, "sora.openai.api-key", key,
                    "sora.openai.auth-header", "Authorization", "sora.openai.model-map", "",
                    "sora.openai.idempotency-header", ""),
            (camel, s) -> new OpenAiVideoProvider(camel, OpenAiSettings.from(s))),
    RUNWAY(SimulatorApi.RUNWAY, false, "INTERNAL.BAD_OUTPUT.CODE01", "SAFETY.INPUT.TEXT",
            (url, key) -> Map.of("sora.runway.base-url", url, "sora.runway.api-key", key,
                    "sora.runway.api-version", "2024-11-06"),
            (camel, s) -> new RunwayVideoProvider(camel, RunwaySettings.from(s), Catalog.BUILT_IN)),
    FAL(SimulatorApi.FAL, false, "runner_server_error", "content_policy_violation",
            (url, key) -> Map.of("sora.fal.base-url", url, "sora.fal.api-key", key),
            (camel, s) -> new FalVideoProvider(camel, FalSettings.from(s), Catalog.BUILT_IN)),
    REPLICATE(SimulatorApi.REPLICATE, false, "prediction_failed", "E005",
            (url, key) -> Map.of("sora.replicate.base-url", url, "sora.replicate.api-token", key),
            (camel, s) -> new ReplicateVideoProvider(camel, ReplicateSettings.from(s), Catalog.BUILT_IN));

    private final SimulatorApi api;
    private final boolean refusesOverInFlightLimit;
    private final String failedJobCode;
    private final String moderationCode;
    private final BiFunction<String, String, Map<String, String>> settings;
    private final BiFunction<CamelContext, Settings, VideoProvider> adapter;

    ContractFace(SimulatorApi api, boolean refusesOverInFlightLimit, String failedJobCode, String moderationCode,
                 BiFunction<String, String, Map<String, String>> settings,
                 BiFunction<CamelContext, Settings, VideoProvider> adapter) {
        this.api = api;
        this.refusesOverInFlightLimit = refusesOverInFlightLimit;
        this.failedJobCode = failedJobCode;
        this.moderationCode = moderationCode;
        this.settings = settings;
        this.adapter = adapter;
    }

    public SimulatorApi api() {
        return api;
    }

    /** As in {@code sora.provider} and the catalogue. */
    public String provider() {
        return api.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Whether the provider answers 429 over its concurrency (else it queues the job). */
    public boolean refusesOverInFlightLimit() {
        return refusesOverInFlightLimit;
    }

    public String failedJobCode() {
        return failedJobCode;
    }

    public String moderationCode() {
        return moderationCode;
    }

    /** The {@code sora.<provider>.*} settings that point the adapter at {@code baseUrl} with {@code key}. */
    public Map<String, String> settings(String baseUrl, String key) {
        return settings.apply(baseUrl, key);
    }

    public VideoProvider adapter(CamelContext camel, Settings s) {
        return adapter.apply(camel, s);
    }

    private static final class Catalog {
        static final ModelCatalog BUILT_IN = ModelCatalog.builtIn();
    }
}

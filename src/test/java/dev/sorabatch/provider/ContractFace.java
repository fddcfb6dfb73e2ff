package dev.sorabatch.provider;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.BiFunction;

import dev.sorabatch.simulator.SimulatorApi;
import dev.sorabatch.simulator.SimulatorServer;

/**
 * Each adapter as the pipeline contract sees it: its simulator face, the settings a user gives it, and the
 * provider's own words for a failed job and a moderation refusal.
 */
public enum ContractFace {
    OPENAI(SimulatorApi.OPENAI, true, "video_generation_failed", "moderation_blocked",
            (url, key) -> Map.of("sora.openai.base-url", url, "sora.openai.api-key", key,
                    "sora.openai.auth-header", "Authorization", "sora.openai.model-map", "",
                    "sora.openai.idempotency-header", "")),
    RUNWAY(SimulatorApi.RUNWAY, false, "INTERNAL.BAD_OUTPUT.CODE01", "SAFETY.INPUT.TEXT",
            (url, key) -> Map.of("sora.runway.base-url", url, "sora.runway.api-key", key,
                    "sora.runway.api-version", "2024-11-06")),
    FAL(SimulatorApi.FAL, false, "runner_server_error", "content_policy_violation",
            (url, key) -> Map.of("sora.fal.base-url", url, "sora.fal.api-key", key)),
    REPLICATE(SimulatorApi.REPLICATE, false, "prediction_failed", "E005",
            (url, key) -> Map.of("sora.replicate.base-url", url, "sora.replicate.api-token", key)),
    /**
     * The credentials are an {@code authorized_user} file whose {@code token_uri} is the face's token endpoint; its
     * refresh token is the key. Cloud Storage is the face's too.
     */
    VERTEX(SimulatorApi.VERTEX, true, "INTERNAL", "content_filtered",
            (url, key) -> Map.of("sora.vertex.project", "sim-project", "sora.vertex.location", "us-central1",
                    "sora.vertex.base-url", url, "sora.vertex.storage-url", url,
                    "sora.vertex.output-uri", "gs://veo-out/videos",
                    "sora.vertex.credentials-file", credentialsFile(url, key).toString(),
                    "sora.vertex.delete-after-fetch", "false")),
    /**
     * Credentials are the AWS default chain's, not a setting; the face writes each video into the bucket of the
     * output URI on the S3 store its {@code s3Endpoint} names.
     */
    BEDROCK(SimulatorApi.BEDROCK, true, "invocation_failed", "content_filtered",
            (url, key) -> Map.of("sora.bedrock.region", "us-west-2", "sora.bedrock.endpoint", url,
                    "sora.bedrock.output-uri", "s3://" + ContractFace.BEDROCK_BUCKET + "/videos",
                    "sora.bedrock.delete-after-fetch", "false")),
    PIXAZO(SimulatorApi.PIXAZO, false, "generation_failed", "content_moderated",
            (url, key) -> Map.of("sora.pixazo.base-url", url, "sora.pixazo.api-key", key));

    /** The bucket of Bedrock's output URI. */
    public static final String BEDROCK_BUCKET = "bedrock-out";

    private final SimulatorApi api;
    private final boolean refusesOverInFlightLimit;
    private final String failedJobCode;
    private final String moderationCode;
    private final BiFunction<String, String, Map<String, String>> settings;

    ContractFace(SimulatorApi api, boolean refusesOverInFlightLimit, String failedJobCode, String moderationCode,
                 BiFunction<String, String, Map<String, String>> settings) {
        this.api = api;
        this.refusesOverInFlightLimit = refusesOverInFlightLimit;
        this.failedJobCode = failedJobCode;
        this.moderationCode = moderationCode;
        this.settings = settings;
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

    /** Whether the key is the environment's (the AWS default chain) rather than one of the provider's settings. */
    public boolean credentialsFromEnvironment() {
        return this == BEDROCK;
    }

    /** The {@code sora.<provider>.*} settings that point the adapter at {@code baseUrl} with {@code key}. */
    public Map<String, String> settings(String baseUrl, String key) {
        return settings.apply(baseUrl, key);
    }

    private static Path credentialsFile(String baseUrl, String key) {
        try {
            Path file = Files.createTempFile("vertex-credentials", ".json");
            file.toFile().deleteOnExit();
            return Files.writeString(file, SimulatorServer.vertexCredentials(baseUrl, key));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

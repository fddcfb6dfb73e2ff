package dev.sorabatch.simulator;

import java.util.Locale;

/** The wire formats the simulator speaks, each under its own path prefix of one server ({@code sora.simulator.api}). */
public enum SimulatorApi {
    /** OpenAI's Videos API, {@code /openai/v1/videos} (also at the root, {@code /v1/videos}) */
    OPENAI("/v1"),
    /** Runway's tasks API, {@code /runway/v1/…} */
    RUNWAY(""),
    /** fal's queue, {@code /fal/<model id>} */
    FAL(""),
    /** Replicate's predictions API, {@code /replicate/v1/…} */
    REPLICATE(""),
    /** Vertex AI's long-running Veo predictions, a token endpoint and Cloud Storage's JSON API, {@code /vertex/…} */
    VERTEX(""),
    /** Amazon Bedrock's async invoke REST API, {@code /bedrock/async-invoke}; outputs go to an S3 server */
    BEDROCK(""),
    /** The Pixazo gateway, {@code /pixazo/…} */
    PIXAZO("");

    private final String basePath;

    SimulatorApi(String basePath) {
        this.basePath = basePath;
    }

    /** The first path segment of this face's requests. */
    public String prefix() {
        return "/" + name().toLowerCase(Locale.ROOT);
    }

    /** Below the prefix, what a client's base URL ends with (OpenAI's includes {@code /v1}; the others add it). */
    String basePath() {
        return basePath;
    }

    /** @throws IllegalArgumentException for a name that is none of them */
    public static SimulatorApi of(String name) {
        return valueOf(name.strip().toUpperCase(Locale.ROOT));
    }
}

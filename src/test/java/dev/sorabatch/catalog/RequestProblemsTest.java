package dev.sorabatch.catalog;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static dev.sorabatch.catalog.Asks.ask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class RequestProblemsTest {

    private static final ModelCatalog CATALOG = ModelCatalog.builtIn();

    static Stream<Arguments> problems() {
        return Stream.of(
                arguments(ask("sora"),
                        "provider must be one of openai, runway, fal, replicate, vertex, bedrock, pixazo (got sora)"),
                arguments(ask("runway", "model", "gen5"),
                        "model must be one of veo3.1, veo3.1_fast, veo3, gen4.5, gen4_turbo (got gen5)"),
                arguments(ask("runway", "model", "x".repeat(150)),
                        "model must be one of veo3.1, veo3.1_fast, veo3, gen4.5, gen4_turbo (got " + "x".repeat(100)
                                + "… (150 characters))"),
                arguments(ask("runway", "seconds", 5), "seconds must be one of 4, 6, 8 (got 5)"),
                arguments(ask("runway", "model", "gen4.5", "seconds", 12), "seconds must be a whole number from 2 to 10 (got 12)"),
                arguments(ask("openai", "size", "1792x1024"), "size 1792x1024 is only available for sora-2-pro"),
                arguments(ask("openai", "size", "640x480"), "size must be one of 720x1280, 1280x720 (got 640x480)"),
                arguments(ask("openai", "size", "big"), "size must be WIDTHxHEIGHT such as 720x1280 (got big)"),
                arguments(ask("openai", "size", "1280x720", "aspect_ratio", "16:9"),
                        "give either size or aspect_ratio and resolution, not both"),
                arguments(ask("fal", "aspect_ratio", "1:1"),
                        "aspect_ratio 1:1 is only available for fal-ai/kling-video/v2.1/master/text-to-video"),
                arguments(ask("vertex", "aspect_ratio", "4:3"), "aspect_ratio must be one of 16:9, 9:16 (got 4:3)"),
                arguments(ask("fal", "model", "fal-ai/veo3.1/fast", "resolution", "4k"),
                        "resolution 4k is only available for fal-ai/veo3.1 or fal-ai/veo3.1/image-to-video"),
                arguments(ask("vertex", "resolution", "4k"), "resolution must be one of 720p, 1080p (got 4k)"),
                arguments(ask("openai", "model", "sora-2-pro", "aspect_ratio", "16:9", "resolution", "1024p"),
                        "aspect_ratio 16:9 is not available at 1024p for sora-2-pro (its sizes are 720x1280, 1280x720,"
                                + " 1024x1792, 1792x1024)"),
                arguments(ask("runway", "model", "gen4.5", "generate_audio", true),
                        "generate_audio is only available for veo3.1, veo3.1_fast or veo3"),
                arguments(ask("bedrock", "generate_audio", true), "generate_audio is not available for luma.ray-v2:0"),
                arguments(ask("openai", "generate_audio", false), "generate_audio cannot be false for sora-2 (it always makes sound)"),
                arguments(ask("fal", "input_reference", true),
                        "input_reference is only available for fal-ai/veo3.1/image-to-video or fal-ai/veo3.1/fast/image-to-video"),
                arguments(ask("runway", "model", "gen4_turbo"),
                        "input_reference is required for gen4_turbo (it makes video from an image)"),
                arguments(ask("runway", "remix_of", true), "remix_of is not available for veo3.1"),
                arguments(ask("runway", "prompt", 1001), "prompt is 1001 characters; the limit for veo3.1 is 1000"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("problems")
    void namesWhatIsWrong(ModelRequest request, String problem) {
        CheckResult result = CATALOG.check(request);

        assertThat(result.accepted()).isFalse();
        assertThat(result.problems()).containsExactly(problem);
    }

    @Test
    void namesEveryProblemOfARow() {
        ModelRequest request = ask("runway", "seconds", 5, "size", "1792x1024", "generate_audio", false, "remix_of", true,
                "prompt", 1200);

        assertThat(CATALOG.check(request).problems()).containsExactly(
                "seconds must be one of 4, 6, 8 (got 5)",
                "size must be one of 1280x720, 720x1280, 1920x1080, 1080x1920 (got 1792x1024)",
                "remix_of is not available for veo3.1",
                "prompt is 1200 characters; the limit for veo3.1 is 1000");
    }

    @Test
    void acceptsWhatTheModelTakes() {
        ModelRequest request = ask("openai", "model", "sora-2-pro", "seconds", 12, "size", "1792x1024", "input_reference", true,
                "remix_of", true, "prompt", 5000);

        assertThat(CATALOG.check(request).problems()).isEmpty();
    }
}

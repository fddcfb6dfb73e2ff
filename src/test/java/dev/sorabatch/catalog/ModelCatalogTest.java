package dev.sorabatch.catalog;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;

import static dev.sorabatch.catalog.Asks.ask;
import static org.assertj.core.api.Assertions.assertThat;

class ModelCatalogTest {

    private static final ModelCatalog CATALOG = ModelCatalog.builtIn();

    @Test
    void everyProviderHasOneDefaultAmongItsModels() {
        assertThat(CATALOG.providers()).containsExactly("openai", "runway", "fal", "replicate", "vertex", "bedrock", "pixazo");
        for (String provider : CATALOG.providers()) {
            assertThat(CATALOG.models(provider)).as(provider).contains(CATALOG.defaultModel(provider))
                    .filteredOn(m -> m.id().equals(CATALOG.defaultModel(provider).id())).hasSize(1);
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({"openai, sora-2", "runway, veo3.1", "fal, fal-ai/veo3.1", "replicate, google/veo-3.1",
            "vertex, veo-3.1-generate-001", "pixazo, veo-3.1", "bedrock, luma.ray-v2:0"})
    void defaultModelsMakeSoundWhereTheProviderHasSuchAModel(String provider, String model) {
        ModelSpec chosen = CATALOG.defaultModel(provider);
        boolean anyMakesSound = CATALOG.models(provider).stream().anyMatch(m -> m.audio().byDefault());

        assertThat(chosen.id()).isEqualTo(model);
        assertThat(chosen.audio().byDefault()).isEqualTo(anyMakesSound);
        assertThat(CATALOG.check(ask(provider)).request().orElseThrow().audio()).isEqualTo(anyMakesSound);
    }

    @Test
    void fillsInTheDefaults() {
        NormalisedRequest request = CATALOG.check(ask("runway")).request().orElseThrow();

        assertThat(request).isEqualTo(new NormalisedRequest("runway", "veo3.1", 8, Frame.ofSize("1280x720").orElseThrow(),
                true, new BigDecimal("0.40")));
        assertThat(request.frame().aspectRatio()).isEqualTo("16:9");
        assertThat(request.frame().resolution()).isEqualTo("720p");
        assertThat(request.usd()).isEqualByComparingTo("3.20");
    }

    @Test
    void aSizeNormalisesToItsAspectRatioAndResolution() {
        NormalisedRequest request = CATALOG.check(ask("fal", "size", "1080X1920")).request().orElseThrow();

        assertThat(request.frame().aspectRatio()).isEqualTo("9:16");
        assertThat(request.frame().resolution()).isEqualTo("1080p");
        assertThat(CATALOG.wire(request)).isEqualTo(new Wire.Values(TextNode.valueOf("8s"), null, "9:16", "1080p"));
    }

    @Test
    void anAspectRatioAndResolutionNormaliseToTheirSize() {
        NormalisedRequest request = CATALOG.check(ask("runway", "aspect_ratio", "9:16", "resolution", "1080P"))
                .request().orElseThrow();

        assertThat(request.frame().size()).isEqualTo("1080x1920");
        assertThat(CATALOG.wire(request)).isEqualTo(new Wire.Values(IntNode.valueOf(8), "1080:1920", null, null));
    }

    @ParameterizedTest(name = "{0} {1}: aspect_ratio {2}, resolution {3} -> {4}")
    @CsvSource(nullValues = "-", value = {
            "vertex, veo-3.1-generate-001, 9:16, -, 720x1280",
            "replicate, google/veo-3.1, -, 1080p, 1920x1080",
            "openai, sora-2-pro, -, 1024p, 1024x1792",
            "bedrock, luma.ray-v2:0, 21:9, 540p, 1260x540",
            "fal, fal-ai/kling-video/v2.1/master/text-to-video, 1:1, -, 1440x1440"})
    void aMissingHalfIsTakenFromTheFirstFrameThatHasTheOther(String provider, String model, String aspectRatio,
                                                             String resolution, String size) {
        ModelRequest asked = ask(provider, "model", model, "aspect_ratio", aspectRatio, "resolution", resolution);

        assertThat(CATALOG.check(asked).request().orElseThrow().frame().size()).isEqualTo(size);
    }

    @Test
    void eachModelGetsItsOwnWireForm() {
        assertThat(wire(ask("openai", "seconds", 8))).isEqualTo(new Wire.Values(TextNode.valueOf("8"), "720x1280", null, null));
        assertThat(wire(ask("fal", "model", "fal-ai/kling-video/v2.1/master/text-to-video", "seconds", 10)))
                .isEqualTo(new Wire.Values(TextNode.valueOf("10"), null, "16:9", null));
        assertThat(wire(ask("bedrock", "model", "amazon.nova-reel-v1:1", "seconds", 12)))
                .isEqualTo(new Wire.Values(IntNode.valueOf(12), "1280x720", null, null));
        assertThat(wire(ask("bedrock", "resolution", "540p")))
                .isEqualTo(new Wire.Values(TextNode.valueOf("5s"), null, "16:9", "540p"));
        assertThat(wire(ask("runway", "model", "gen4_turbo", "size", "960x960", "input_reference", true)))
                .isEqualTo(new Wire.Values(IntNode.valueOf(5), "960:960", null, null));
    }

    @Test
    void anAdapterFindsTheWireFormOfAStoredSize() {
        ModelSpec veo = CATALOG.model("vertex", "veo-3.1-generate-001").orElseThrow();

        assertThat(veo.wire(6, "720x1280")).isEqualTo(new Wire.Values(IntNode.valueOf(6), null, "9:16", "720p"));
    }

    @Test
    void soundCanBeSwitchedOffWhereTheModelAllowsIt() {
        NormalisedRequest silent = CATALOG.check(ask("vertex", "generate_audio", false, "seconds", 4)).request().orElseThrow();

        assertThat(silent.audio()).isFalse();
        assertThat(silent.usdPerSecond()).isEqualByComparingTo("0.20");
        assertThat(silent.usd()).isEqualByComparingTo("0.80");
    }

    @ParameterizedTest(name = "{0} {1} {2}s {3} audio={4}: {5}")
    @CsvSource({
            "fal, fal-ai/kling-video/v2.1/master/text-to-video, 10, 1080p, false, 2.80",
            "fal, fal-ai/veo3.1, 6, 4k, false, 2.40",
            "fal, fal-ai/veo3.1, 8, 4K, true, 4.80",
            "fal, fal-ai/veo3.1, 8, 1080p, true, 3.20",
            "openai, sora-2, 12, 720p, true, 1.20",
            "openai, sora-2-pro, 12, 1024p, true, 6.00",
            "openai, sora-2-pro, 4, 720p, true, 1.20",
            "runway, gen4_turbo, 7, 720p, false, 0.35",
            "bedrock, luma.ray-v2:0, 9, 540p, false, 6.75",
            "bedrock, amazon.nova-reel-v1:1, 18, 720p, false, 1.44",
            "pixazo, veo-3.1, 6, 1080p, true, 3.60"})
    void costsToTheCent(String provider, String model, int seconds, String resolution, boolean audio, String usd) {
        assertThat(CATALOG.cost(provider, model, seconds, resolution, audio)).hasValueSatisfying(
                cost -> assertThat(cost).isEqualByComparingTo(usd));
    }

    @Test
    void hasNoCostForWhatItDoesNotList() {
        assertThat(CATALOG.cost("runway", "gen9", 5, "720p", false)).isEmpty();
        assertThat(CATALOG.cost("nobody", "veo3.1", 5, "720p", false)).isEmpty();
        assertThat(CATALOG.cost("bedrock", "luma.ray-v2:0", 5, "1080p", false)).isEmpty();
    }

    private static Wire.Values wire(ModelRequest request) {
        return CATALOG.wire(CATALOG.check(request).request().orElseThrow());
    }
}

package dev.sorabatch.catalog;

import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static dev.sorabatch.catalog.Asks.ask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** A user's catalogue file laid over the built-in one. */
class CatalogFileTest {

    @TempDir
    Path dir;

    @Test
    void addsAModelAndOverridesAPriceKeepingEverythingElse() throws IOException {
        ModelCatalog catalog = ModelCatalog.load(file("""
                providers:
                  runway:
                    models:
                      veo3.1:
                        usd_per_second: {with_audio: 0.35, without_audio: 0.18}
                  fal:
                    models:
                      fal-ai/ltx-2/text-to-video/fast:
                        seconds: [6, 8, 10]
                        aspect_ratios: ["16:9"]
                        resolutions: [1080p]
                        audio: optional
                        usd_per_second: 0.04
                """));

        assertThat(catalog.cost("runway", "veo3.1", 8, "720p", true)).hasValueSatisfying(c -> assertThat(c).isEqualByComparingTo("2.80"));
        ModelSpec veo = catalog.model("runway", "veo3.1").orElseThrow();
        ModelSpec builtIn = ModelCatalog.builtIn().model("runway", "veo3.1").orElseThrow();
        assertThat(veo.seconds()).isEqualTo(builtIn.seconds());
        assertThat(veo.frames()).isEqualTo(builtIn.frames());
        assertThat(veo.audio()).isEqualTo(Audio.OPTIONAL);
        assertThat(catalog.defaultModel("runway").id()).isEqualTo("veo3.1");

        NormalisedRequest ltx = catalog.check(ask("fal", "model", "fal-ai/ltx-2/text-to-video/fast", "seconds", 10))
                .request().orElseThrow();
        assertThat(ltx.frame().size()).isEqualTo("1920x1080");
        assertThat(ltx.usd()).isEqualByComparingTo("0.40");
        assertThat(catalog.wire(ltx).seconds()).as("the provider's wire form").isEqualTo(TextNode.valueOf("10s"));
        assertThat(catalog.models("fal")).extracting(ModelSpec::id).startsWith("fal-ai/veo3.1").endsWith("fal-ai/ltx-2/text-to-video/fast");
    }

    @Test
    void changesDefaultsLengthsAndFramesAndAddsProviders() throws IOException {
        ModelCatalog catalog = ModelCatalog.load(file("""
                providers:
                  openai:
                    default: sora-2-pro
                    models:
                      sora-2-pro:
                        seconds: [4, 8, 12, 16, 20]
                  vertex:
                    models:
                      veo-3.1-generate-001:
                        resolutions: [1080p]
                  my-gateway:
                    default: wan-2.6
                    wire: {size: size, seconds: string}
                    models:
                      wan-2.6:
                        seconds: [5, 10]
                        sizes: [1280x720]
                        usd_per_second: 0.10
                """));

        assertThat(catalog.check(ask("openai", "seconds", 20)).request().orElseThrow().model()).isEqualTo("sora-2-pro");
        assertThat(catalog.model("vertex", "veo-3.1-generate-001").orElseThrow().sizes()).containsExactly("1920x1080", "1080x1920");
        assertThat(catalog.providers()).endsWith("pixazo", "my-gateway");
        assertThat(catalog.check(ask("my-gateway")).accepted()).isTrue();
    }

    @Test
    void anEmptyFileChangesNothing() throws IOException {
        ModelCatalog catalog = ModelCatalog.load(file("# nothing to change yet\n"));

        assertThat(CatalogMarkdown.render(catalog)).isEqualTo(CatalogMarkdown.render(ModelCatalog.builtIn()));
    }

    static Stream<Arguments> brokenFiles() {
        return Stream.of(
                arguments("unknown field", """
                        providers:
                          runway:
                            models:
                              veo3.1:
                                secnds: [4, 6]
                        """, "line 5", "providers.runway.models[\"veo3.1\"].secnds", "is not a catalogue field"),
                arguments("not a whole number", """
                        providers:
                          fal:
                            models:
                              fal-ai/veo3.1:
                                seconds:
                                  - 4
                                  - six
                        """, "line 7", "providers.fal.models[\"fal-ai/veo3.1\"].seconds[1]",
                        "must be a whole number from 1 to 600 (got \"six\")"),
                arguments("backwards range", """
                        providers:
                          runway:
                            models:
                              gen4.5:
                                seconds: 10..2
                        """, "line 5", "models[\"gen4.5\"].seconds", "a range such as 2..10"),
                arguments("bad size", """
                        providers:
                          openai:
                            models:
                              sora-2:
                                sizes: [1280*720]
                        """, "line 5", "providers.openai.models.sora-2.sizes[0]", "must be WIDTHxHEIGHT"),
                arguments("bad price", """
                        providers:
                          vertex:
                            models:
                              veo-3.1-generate-001:
                                usd_per_second: {with_audio: cheap, without_audio: 0.1}
                        """, "line 5", "usd_per_second.with_audio", "must be a price in USD per second"),
                arguments("bad choice", """
                        providers:
                          replicate:
                            wire: {size: pixels}
                        """, "line 3", "providers.replicate.wire.size",
                        "must be one of size, ratio, aspect_ratio, aspect_ratio+resolution"),
                arguments("incomplete new model", """
                        providers:
                          runway:
                            models:
                              gen5:
                                seconds: [5]
                                sizes: [1280x720]
                        """, "line 4", "models.gen5", "usd_per_second is missing"),
                arguments("price missing for a frame", """
                        providers:
                          pixazo:
                            models:
                              veo-3.1:
                                resolutions: [720p, 4k]
                        """, "line 4", "providers.pixazo.models[\"veo-3.1\"]", "usd_per_second has no price for 4k with audio"),
                arguments("default length not offered", """
                        providers:
                          runway:
                            models:
                              veo3.1:
                                seconds: [4, 6]
                        """, "line 4", "models[\"veo3.1\"]", "default_seconds 8 is not among its seconds 4, 6"),
                arguments("unknown default", """
                        providers:
                          runway:
                            default: veo9
                        """, "line 2", "providers.runway", "default veo9 is not one of its models (veo3.1, "),
                arguments("both vocabularies", """
                        providers:
                          fal:
                            models:
                              fal-ai/veo3.1:
                                sizes: [1280x720]
                                resolutions: [720p]
                        """, "line 4", "models[\"fal-ai/veo3.1\"]", "give either sizes or aspect_ratios and resolutions"),
                arguments("duplicate key", """
                        providers:
                          runway:
                            default: veo3
                            default: gen4.5
                        """, "line 4", "default", "Duplicate"),
                arguments("not YAML", """
                        providers:
                          runway: [unclosed
                        """, "line ", "", ""),
                arguments("a list where a mapping belongs", """
                        providers: [runway, fal]
                        """, "line 1", "providers", "must be a mapping"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenFiles")
    void aBrokenFileFailsNamingFileLineAndField(String what, String yaml, String line, String field, String problem)
            throws IOException {
        Path file = file(yaml);

        assertThatThrownBy(() -> ModelCatalog.load(file)).isInstanceOf(CatalogException.class)
                .hasMessageStartingWith(file + ", line ").hasMessageContaining(line).hasMessageContaining(field)
                .hasMessageContaining(problem);
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = dir.resolve("nowhere.yaml");

        assertThatThrownBy(() -> ModelCatalog.load(missing)).isInstanceOf(CatalogException.class)
                .hasMessageStartingWith(missing + ": cannot be read");
    }

    private Path file(String yaml) throws IOException {
        return Files.writeString(dir.resolve("my-models.yaml"), yaml);
    }
}

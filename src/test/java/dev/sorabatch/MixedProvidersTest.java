package dev.sorabatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One prompt file puts the same prompts to Runway's veo3.1 and fal's Kling side by side, each provider played by
 * the simulator's face of its wire format: every row goes to the provider it names, each provider keeps to its own
 * in-flight limit, the manifest says which provider made each video, and a row naming a provider the run has not
 * enabled is rejected saying how to enable it.
 */
class MixedProvidersTest {

    @Test
    void rowsGoToTheProviderTheyNameEachWithinItsOwnLimits(@TempDir Path dir) throws Exception {
        StringBuilder rows = new StringBuilder("id,provider,model,prompt\n");
        for (int i = 1; i <= 4; i++) {
            rows.append("runway-").append(i).append(",runway,veo3.1,A glass harbour at dawn number ").append(i).append('\n');
            rows.append("fal-").append(i).append(",fal,fal-ai/kling-video/v2.1/master/text-to-video,")
                    .append("A glass harbour at dawn number ").append(i).append('\n');
        }
        rows.append("elsewhere,replicate,,A glass harbour at dusk\n");
        try (Pipeline p = Pipeline.start(dir, Map.of(
                "sora.provider", "simulator-runway",
                "sora.providers", "simulator-fal",
                "sora.runway.max-in-flight", "1",
                "sora.fal.max-in-flight", "3",
                "sora.simulator.generation-min", "400",
                "sora.simulator.generation-max", "600"))) {
            p.drop("side-by-side.csv", rows.toString());
            JsonNode manifest = p.awaitManifest("side-by-side", Duration.ofSeconds(90));

            assertThat(manifest.path("counts").path("stored").asInt()).isEqualTo(8);
            assertThat(manifest.path("counts").path("rejected").asInt()).isEqualTo(1);
            Map<String, List<long[]>> spans = new HashMap<>();
            for (JsonNode item : manifest.path("items")) {
                String id = item.path("id").asText();
                if (id.equals("elsewhere")) {
                    assertThat(item.path("error").path("message").asText())
                            .contains("replicate is not enabled", "sora.providers");
                    continue;
                }
                String provider = id.substring(0, id.indexOf('-'));
                assertThat(item.path("provider").asText()).isEqualTo(provider);
                assertThat(item.path("model").asText()).isEqualTo(provider.equals("runway") ? "veo3.1"
                        : "fal-ai/kling-video/v2.1/master/text-to-video");
                spans.computeIfAbsent(provider, k -> new ArrayList<>()).add(new long[] {
                        millis(item.path("submitted_at")), millis(item.path("completed_at"))});
            }
            assertThat(mostAtOnce(spans.get("runway"))).as("runway's own limit").isEqualTo(1);
            assertThat(mostAtOnce(spans.get("fal"))).as("fal's own limit, not runway's").isBetween(2, 3);
            // every prompt went once to each provider: two paid jobs per prompt, one each
            assertThat(p.simulator().stats().jobsPerPrompt().values()).allMatch(n -> n == 2);
        }
    }

    private static long millis(JsonNode iso) {
        return Instant.parse(iso.asText()).toEpochMilli();
    }

    /** The most spans that overlap at one instant. */
    private static int mostAtOnce(List<long[]> spans) {
        int most = 0;
        for (long[] span : spans) {
            int at = 0;
            for (long[] other : spans) {
                if (other[0] <= span[0] && span[0] < other[1]) {
                    at++;
                }
            }
            most = Math.max(most, at);
        }
        return most;
    }
}

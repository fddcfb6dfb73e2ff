package dev.sorabatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sorabatch.simulator.SimulatorStats;

/** The simulator misbehaves in every way at once; the pipeline must end every item and never pay twice. */
class ProviderFaultsTest {

    static String prompts(int n, String prefix) {
        StringBuilder sb = new StringBuilder("prompt\n");
        for (int i = 1; i <= n; i++) {
            sb.append(prefix).append(" scene number ").append(i).append('\n');
        }
        return sb.toString();
    }

    @Test
    void everyItemEndsTerminalWithAtMostOneCreatePerTakeUnderFaults(@TempDir Path dir) throws Exception {
        try (Pipeline p = Pipeline.start(dir, Map.of(
                "sora.simulator.server-error-share", "0.2",
                "sora.simulator.drop-share", "0.1",
                "sora.simulator.lost-response-share", "0.05",
                "sora.simulator.failure-share", "0.1",
                "sora.simulator.max-in-flight", "6",
                // creates in bursts, so that the provider's in-flight limit is really met (spaced evenly, they may not)
                "sora.rate.burst", "20",
                "sora.reconcile.max-attempts", "30"))) {
            long started = System.nanoTime();
            p.drop("faults.csv", prompts(40, "Storm over the harbour"));
            JsonNode manifest = p.awaitManifest("faults", Duration.ofSeconds(150));
            SimulatorStats stats = p.simulator().stats();
            ReliabilityFigures.of("provider faults", "5xx 20 %, drops 10 %, lost answers 5 %, failed jobs 10 %",
                            1, "H2", manifest, 0, ReliabilityFigures.unaccounted(stats, manifest),
                            ReliabilityFigures.duplicates(stats), (System.nanoTime() - started) / 1e9)
                    .write("single-provider-faults");

            JsonNode counts = manifest.path("counts");
            assertThat(counts.path("total").asInt()).isEqualTo(40);
            assertThat(counts.path("stored").asInt() + counts.path("failed").asInt() + counts.path("uncertain").asInt())
                    .isEqualTo(40);
            assertThat(stats.jobsPerPrompt().values()).allMatch(n -> n <= 1);
            // the faults really happened
            assertThat(stats.serverErrors()).isPositive();
            assertThat(stats.drops()).isPositive();
            assertThat(stats.rateLimited()).isPositive();
            for (JsonNode item : manifest.path("items")) {
                if (item.path("status").asText().equals("failed")) {
                    assertThat(item.path("error").path("code").asText()).isEqualTo("video_generation_failed");
                }
                if (item.path("status").asText().equals("stored")) {
                    assertThat(stats.jobsCreated(item.path("prompt").asText())).isEqualTo(1);
                }
            }
        }
    }

    @Test
    void lostCreateResponsesAreAdoptedNotPaidTwice(@TempDir Path dir) throws Exception {
        try (Pipeline p = Pipeline.start(dir, Map.of("sora.simulator.lost-response-share", "0.5"))) {
            p.drop("lost.csv", prompts(12, "Paper boats on a canal"));
            JsonNode manifest = p.awaitManifest("lost", Duration.ofSeconds(90));

            SimulatorStats stats = p.simulator().stats();
            assertThat(stats.lostResponses()).isPositive();
            assertThat(manifest.path("counts").path("stored").asInt()).isEqualTo(12);
            assertThat(stats.jobsCreated()).isEqualTo(12);
            assertThat(stats.jobsPerPrompt().values()).allMatch(n -> n == 1);
        }
    }

    @Test
    void configuredRateIsNeverExceededInAnySlidingMinute(@TempDir Path dir) throws Exception {
        int perMinute = 8;
        try (Pipeline p = Pipeline.start(dir, Map.of("sora.rate.requests-per-minute", Integer.toString(perMinute),
                "sora.max-in-flight", "50"))) {
            p.drop("rate.csv", prompts(12, "Hot air balloons at dawn"));
            p.awaitManifest("rate", Duration.ofSeconds(120));

            List<Instant> creates = new ArrayList<>(p.simulator().stats().createTimes());
            creates.sort(null);
            assertThat(creates).hasSize(12);
            for (int i = 0; i + perMinute < creates.size(); i++) {
                assertThat(Duration.between(creates.get(i), creates.get(i + perMinute)))
                        .as("create %d and create %d are in one minute", i, i + perMinute)
                        .isGreaterThanOrEqualTo(Duration.ofMinutes(1));
            }
            assertThat(p.simulator().stats().rateLimited()).isZero();
        }
    }

    @Test
    void retryAfterFromTheProviderHoldsBackFurtherCreates(@TempDir Path dir) throws Exception {
        try (Pipeline p = Pipeline.start(dir, Map.of("sora.simulator.max-in-flight", "2",
                "sora.simulator.generation-min", "1s", "sora.simulator.generation-max", "1s",
                "sora.max-in-flight", "10"))) {
            p.drop("busy.csv", prompts(10, "A fox crossing snow"));
            JsonNode manifest = p.awaitManifest("busy", Duration.ofSeconds(90));

            assertThat(manifest.path("counts").path("stored").asInt()).isEqualTo(10);
            SimulatorStats stats = p.simulator().stats();
            assertThat(stats.rateLimits()).isNotEmpty();
            assertThat(stats.jobsCreated()).isEqualTo(10);
            // after a 429 no create may arrive before its Retry-After is over; creates already under way when the
            // 429 was sent (parallel requests) arrive within a few milliseconds and are allowed for
            List<Instant> requests = stats.createRequestTimes();
            for (SimulatorStats.RateLimit limit : stats.rateLimits()) {
                Instant quietFrom = limit.at().plusMillis(250);
                Instant quietUntil = limit.at().plusMillis(limit.retryAfterMillis() - 20);
                assertThat(requests).as("create requests during the Retry-After of a 429 at %s", limit.at())
                        .noneMatch(r -> r.isAfter(quietFrom) && r.isBefore(quietUntil));
            }
        }
    }
}

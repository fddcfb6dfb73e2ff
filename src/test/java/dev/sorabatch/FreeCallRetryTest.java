package dev.sorabatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sorabatch.store.Item;
import dev.sorabatch.store.ItemState;

/**
 * Status checks are free: when they fail they are retried on their own short backoff, not on the minutes-long
 * one of creates, so a finished job is not parked while its content link ticks towards expiry.
 */
class FreeCallRetryTest {

    @Test
    void failedStatusChecksAreRetriedWithinSecondsNotOnTheBackoffOfCreates(@TempDir Path dir) throws Exception {
        try (Pipeline p = Pipeline.start(dir, Map.of(
                // the creates' backoff far out: on it, the second try of a failed check would wait a minute
                "sora.retry.initial-delay", "1m",
                "sora.retry.max-delay", "5m",
                "sora.simulator.generation-min", "2s",
                "sora.simulator.generation-max", "2s",
                "sora.poll.initial-interval", "100"))) {
            p.drop("flaky.csv", "prompt\nA heron standing in a misty pond\n");
            await().atMost(Duration.ofSeconds(30)).until(() -> item(p) != null && item(p).state() == ItemState.SUBMITTED);

            p.simulator().settings().serverErrorShare(1.0); // every status check fails now
            await("three failed status checks").atMost(Duration.ofSeconds(15))
                    .until(() -> item(p).failures() >= 3);
            Item failing = item(p);
            assertThat(failing.nextAttemptAt() - p.store().now()).as("next check after a failure")
                    .isLessThanOrEqualTo(5_000);
            assertThat(failing.errorCode()).isEqualTo("server_error");

            p.simulator().settings().serverErrorShare(0);
            JsonNode manifest = p.awaitManifest("flaky", Duration.ofSeconds(30));
            assertThat(manifest.path("counts").path("stored").asInt()).isEqualTo(1);
            assertThat(p.simulator().stats().jobsCreated()).isEqualTo(1);
        }
    }

    private static Item item(Pipeline p) throws Exception {
        List<Item> items = p.items("flaky");
        return items.isEmpty() ? null : items.get(0);
    }
}

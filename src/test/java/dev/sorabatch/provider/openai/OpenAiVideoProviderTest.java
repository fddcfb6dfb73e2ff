package dev.sorabatch.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.sorabatch.SimulatedProvider;
import dev.sorabatch.provider.JobRef;
import dev.sorabatch.provider.JobStatus;
import dev.sorabatch.provider.ProviderException.Kind;
import dev.sorabatch.provider.ProviderException;
import dev.sorabatch.provider.Requests;
import dev.sorabatch.provider.Variant;
import dev.sorabatch.provider.VideoJob;
import dev.sorabatch.provider.VideoRequest;
import dev.sorabatch.simulator.Asset;
import dev.sorabatch.simulator.SimulatorSettings;

/** The OpenAI adapter against the simulator over HTTP: the wire both ways, and every failure classified. */
class OpenAiVideoProviderTest {

    private static final VideoRequest FOX = Requests.text("A fox at dawn", "sora-2", 8, "1280x720");

    @Test
    void aJobIsCreatedFollowedDownloadedAndListed() throws Exception {
        try (SimulatedProvider sim = new SimulatedProvider(new SimulatorSettings().generationTime(Duration.ZERO,
                Duration.ZERO).pollAfterMillis(1500L), "key", Map.of("sora-2", "my-deployment"))) {
            VideoJob created = sim.provider.submit(FOX, "k");
            assertThat(created.id()).startsWith("video_");
            assertThat(created.model()).as("the model map applies on the wire").isEqualTo("my-deployment");
            assertThat(created).extracting(VideoJob::prompt, VideoJob::seconds, VideoJob::size)
                    .containsExactly("A fox at dawn", 8, "1280x720");

            VideoJob status = sim.provider.status(created.ref());
            assertThat(status.status()).isEqualTo(JobStatus.COMPLETED);
            assertThat(status.progress()).isEqualTo(100);
            assertThat(status.expiresAt()).isAfter(Instant.now());
            assertThat(status.pollAfterMillis()).isEqualTo(1500L);

            ByteArrayOutputStream body = new ByteArrayOutputStream();
            String type = sim.provider.download(created.ref(), Variant.VIDEO, content -> {
                content.body().transferTo(body);
                return content.contentType();
            });
            assertThat(type).isEqualTo("video/mp4");
            assertThat(body.size()).isPositive();
            assertThat(sim.server.stats().downloads("video")).isEqualTo(1);

            VideoJob second = sim.provider.submit(FOX, "k");
            List<VideoJob> listed = sim.provider.list(Instant.now().minusSeconds(60));
            assertThat(listed).extracting(VideoJob::id).as("newest first").containsExactly(second.id(), created.id());
            assertThat(sim.provider.list(Instant.now().plusSeconds(60))).isEmpty();
            assertThat(sim.server.sha256(Asset.VIDEO)).isNotEmpty();
        }
    }

    @Test
    void failuresAreClassifiedByWhatMaySafelyBeDoneNext() throws Exception {
        try (SimulatedProvider sim = new SimulatedProvider(new SimulatorSettings().requiredApiKey("right")
                .maxInFlight(1).generationTime(Duration.ofSeconds(30), Duration.ofSeconds(30)), "right", Map.of())) {
            assertThat(failure(() -> sim.provider.status(JobRef.of("video_unknown")))).extracting(ProviderException::kind,
                    ProviderException::code).containsExactly(Kind.NOT_FOUND, "not_found");
            assertThat(failure(() -> sim.provider.submit(Requests.text("p", "sora-2", 5, "720x1280"), "k")).kind())
                    .as("a 400 is final").isEqualTo(Kind.REJECTED);

            sim.provider.submit(FOX, "k");
            ProviderException busy = failure(() -> sim.provider.submit(FOX, "k"));
            assertThat(busy.kind()).isEqualTo(Kind.RETRYABLE);
            assertThat(busy.httpStatus()).isEqualTo(429);
            assertThat(busy.retryAfter()).isPositive();
            assertThat(busy.error().message()).contains("Limit 1");

            sim.server.settings().serverErrorShare(1);
            assertThat(failure(() -> sim.provider.submit(FOX, "k")).kind()).as("a 5xx create may have happened")
                    .isEqualTo(Kind.OUTCOME_UNKNOWN);
            sim.server.settings().serverErrorShare(0).dropShare(1);
            assertThat(failure(() -> sim.provider.submit(FOX, "k"))).extracting(ProviderException::kind,
                    ProviderException::code).containsExactly(Kind.OUTCOME_UNKNOWN, "no_response");
        }
        try (SimulatedProvider sim = new SimulatedProvider(new SimulatorSettings().requiredApiKey("right"), "wrong",
                Map.of())) {
            assertThat(failure(sim.provider::verifyAccess).kind()).isEqualTo(Kind.AUTH);
        }
    }

    @Test
    void aRefusedConnectionIsProvenNeverSent() throws Exception {
        SimulatedProvider sim = new SimulatedProvider(new SimulatorSettings());
        sim.server.close();
        try (sim) {
            assertThat(failure(() -> sim.provider.submit(FOX, "k"))).extracting(ProviderException::kind,
                    ProviderException::code).containsExactly(Kind.RETRYABLE, "not_sent");
        }
    }

    private interface Call {
        void run() throws Exception;
    }

    private static ProviderException failure(Call call) {
        try {
            call.run();
        } catch (ProviderException e) {
            return e;
        } catch (Exception e) {
            throw new AssertionError("expected a ProviderException, got " + e, e);
        }
        throw new AssertionError("expected a ProviderException");
    }
}

package dev.sorabatch.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;

import dev.sorabatch.provider.ProviderException.Kind;
import dev.sorabatch.provider.pixazo.PixazoSettings;
import dev.sorabatch.provider.pixazo.PixazoVideoProvider;
import dev.sorabatch.settings.Settings;
import dev.sorabatch.simulator.Asset;
import dev.sorabatch.simulator.SimulatorApi;

class PixazoContractTest extends ProviderContract {

    private CamelContext camel;

    @Override
    SimulatorApi api() {
        return SimulatorApi.PIXAZO;
    }

    @Override
    String catalogName() {
        return "pixazo";
    }

    @Override
    Map<String, String> settings(String baseUrl, String key) {
        return ContractFace.PIXAZO.settings(baseUrl, key);
    }

    @Override
    VideoProvider adapter(CamelContext camel, Settings settings) {
        this.camel = camel;
        return new PixazoVideoProvider(camel, PixazoSettings.from(settings), CATALOG);
    }

    @Override
    String keySetting() {
        return "sora.pixazo.api-key";
    }

    @Override
    String keyVariable() {
        return "PIXAZO_API_KEY";
    }

    @Override
    boolean refusesOverInFlightLimit() {
        return false;
    }

    @Override
    String failedJobCode() {
        return "generation_failed";
    }

    @Override
    String moderationCode() {
        return "content_moderated";
    }

    /** The Sora pages' shape: generate answers a video_id only, and the result is asked with POST …/video/result. */
    @Test
    void theOlderResultShapeIsReadToo() throws Exception {
        provider = adapter(camel, settingsOf(Map.of("sora.pixazo.base-url", server.baseUrl(api()),
                "sora.pixazo.api-key", KEY, "sora.pixazo.model-paths", "veo-3.1=/sora-video/v1/video/generate")));
        VideoJob submitted = provider.submit(request("an older gateway page"), "key-old");
        assertThat(submitted.id()).startsWith("video_");
        VideoJob done = finished(submitted);
        assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(downloadSha(done, Variant.VIDEO)).isEqualTo(server.sha256(Asset.VIDEO));
    }

    /** With a callback URL the generate names it, and the gateway calls it with the job's id when the job ends. */
    @Test
    void theCallbackUrlIsSentAndCalledWithTheJobWhenItEnds() throws Exception {
        BlockingQueue<String> calls = new LinkedBlockingQueue<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/webhooks/pixazo", exchange -> {
            calls.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        try {
            provider = new PixazoVideoProvider(camel, PixazoSettings.from(settingsOf(settings(server.baseUrl(api()),
                    KEY))), CATALOG, "http://127.0.0.1:" + receiver.getAddress().getPort() + "/webhooks/pixazo");
            VideoJob submitted = provider.submit(request("a gateway that calls back"), "key-callback");
            String call = calls.poll(30, TimeUnit.SECONDS);
            assertThat(call).isNotNull();
            JsonNode body = new ObjectMapper().readTree(call);
            assertThat(body.path("request_id").asText()).isEqualTo(submitted.id());
            assertThat(body.path("status").asText()).isEqualTo("COMPLETED");
            await().atMost(Duration.ofSeconds(10)).until(() -> server.stats().callbackAnswers().equals(Map.of(200, 1)));
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    void outOfCreditsStopsEveryLaterCreateWithoutSendingIt() {
        server.settings().outOfCredits(true);
        ProviderException first = catchThrowableOfType(() -> provider.submit(request("unpaid"), "key-402"),
                ProviderException.class);
        assertThat(first.kind()).isEqualTo(Kind.QUOTA_EXHAUSTED);
        assertThat(first.httpStatus()).isEqualTo(402);
        assertThat(first.code()).isEqualTo("out_of_credits");
        assertThat(first.getMessage()).contains("out of credits").contains("top up");

        server.settings().outOfCredits(false); // topped up meanwhile: this run still makes nothing more
        ProviderException later = catchThrowableOfType(() -> provider.submit(request("also unpaid"), "key-402b"),
                ProviderException.class);
        assertThat(later.kind()).isEqualTo(Kind.QUOTA_EXHAUSTED);
        assertThat(server.stats().createRequests()).as("the later create was never sent").isEqualTo(1);
        assertThat(server.stats().jobsCreated()).isZero();
    }
}

package dev.sorabatch.simulator;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sorabatch.simulator.SimulatorSettings.WebhookFault;
import dev.sorabatch.webhook.StandardWebhooks;

/**
 * The callbacks the faces send when a job ends, as the services do: one POST of JSON to the URL the create named
 * (or, for OpenAI, the one configured), signed the face's way, with the fault of {@link SimulatorSettings#webhookFault}
 * put in. Each answer's status is counted ({@link SimulatorStats#callbackAnswers}); nothing is retried.
 */
final class Callbacks implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Callbacks.class);
    private static final long STALE_SECONDS = 3600;

    /** The headers that sign one delivery of {@code body} at {@code timestamp} (epoch seconds). */
    interface Signer {
        Map<String, String> headers(byte[] body, long timestamp, boolean forged);
    }

    private final SimulatorSettings settings;
    private final SimulatorStats stats;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "simulator-callbacks");
        thread.setDaemon(true);
        return thread;
    });

    Callbacks(SimulatorSettings settings, SimulatorStats stats) {
        this.settings = settings;
        this.stats = stats;
    }

    /** Sends {@code body} (read when the job has ended) to {@code url} at the job's end. */
    void whenDone(Job job, String url, Supplier<Object> body, Signer signer) {
        long delay = Math.max(0, job.endsAt() - System.currentTimeMillis());
        timer.schedule(() -> send(url, body, signer), delay, TimeUnit.MILLISECONDS);
    }

    private void send(String url, Supplier<Object> body, Signer signer) {
        WebhookFault fault = settings.webhookFault();
        try {
            byte[] bytes = Face.JSON.writeValueAsBytes(body.get());
            long timestamp = System.currentTimeMillis() / 1000 - (fault == WebhookFault.STALE_TIMESTAMP ? STALE_SECONDS : 0);
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
            signer.headers(bytes, timestamp, fault == WebhookFault.BAD_SIGNATURE).forEach(request::header);
            HttpRequest built = request.build();
            for (int i = fault == WebhookFault.DUPLICATE ? 2 : 1; i > 0; i--) {
                stats.countCallback(client.send(built, HttpResponse.BodyHandlers.discarding()).statusCode());
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("Callback to {} failed: {}", url, e.toString());
            stats.countCallback(-1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Standard Webhooks headers (OpenAI, Replicate) with the configured secret; unsigned without one. A forged
     * delivery is signed with another key.
     */
    Signer standardWebhooks() {
        return (body, timestamp, forged) -> {
            Map<String, String> headers = new LinkedHashMap<>();
            String id = "msg_" + UUID.randomUUID().toString().replace("-", "");
            headers.put("webhook-id", id);
            headers.put("webhook-timestamp", Long.toString(timestamp));
            String secret = settings.webhookSecret();
            if (secret != null) {
                byte[] key = forged ? "not the endpoint's secret".getBytes(StandardCharsets.UTF_8)
                        : StandardWebhooks.key(secret);
                headers.put("webhook-signature", StandardWebhooks.sign(key, id, Long.toString(timestamp), body));
            }
            return headers;
        };
    }

    /** No signature at all (Pixazo documents none). */
    static Signer unsigned() {
        return (body, timestamp, forged) -> Map.of();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}

package dev.sorabatch.webhook;

import java.sql.SQLException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.http.HttpServerRequest;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.vertx.HttpMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sorabatch.observe.HttpAnswer;
import dev.sorabatch.store.CallbackHints;
import dev.sorabatch.store.JobStore;

/**
 * {@code POST /webhooks/{provider}} ({@code routes/http.yaml}). A callback is verified on the raw body and the
 * request's own headers, read from the Vert.x request: Camel copies query parameters into its headers too, and a
 * query parameter must never stand in for a signature. A verified callback makes that job's status check due now and
 * does nothing else: the poll worker asks the provider, so a forged or stale callback could at worst cost one free
 * status call. Refused callbacks change nothing; every callback is counted ({@link WebhookMeters}). Nothing of the
 * request (headers, signature, body) is logged or echoed.
 */
public final class WebhookEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookEndpoint.class);
    private static final String PATH = "/webhooks/";
    /** Providers that call back; runway, vertex and bedrock have no callbacks. */
    static final List<String> PROVIDERS = List.of("openai", "replicate", "fal", "pixazo");

    private final Map<String, CallbackCheck> checks;
    private final JobStore store;
    private final Clock clock;
    private final WebhookMeters meters;

    public WebhookEndpoint(WebhookSettings settings, JobStore store, Clock clock, MeterRegistry registry) {
        this.store = store;
        this.clock = clock;
        long tolerance = settings.toleranceMillis();
        Map<String, CallbackCheck> made = new LinkedHashMap<>();
        if (!settings.openAiSecret().isEmpty()) {
            made.put("openai", new StandardWebhooksCheck(StandardWebhooks.key(settings.openAiSecret()), tolerance,
                    StandardWebhooksCheck.OPENAI_EVENT));
        }
        if (!settings.replicateSecret().isEmpty()) {
            made.put("replicate", new StandardWebhooksCheck(StandardWebhooks.key(settings.replicateSecret()),
                    tolerance, StandardWebhooksCheck.REPLICATE_PREDICTION));
        }
        made.put("fal", new FalCheck(new FalKeys(settings.falJwksUrl(), clock), tolerance));
        made.put("pixazo", new PixazoHint(tolerance));
        this.checks = Map.copyOf(made);
        this.meters = new WebhookMeters(registry, new LinkedHashSet<>(PROVIDERS));
    }

    /** Answers the callback with its outcome as JSON. */
    public String receive(Exchange exchange) throws SQLException, JsonProcessingException {
        HttpServerRequest request = exchange.getIn(HttpMessage.class).getRequest();
        String path = request.path();
        String provider = path.startsWith(PATH) ? path.substring(PATH.length()).toLowerCase(Locale.ROOT) : "";
        if (!PROVIDERS.contains(provider)) {
            return answer(exchange, WebhookMeters.UNKNOWN, Outcome.UNKNOWN_PROVIDER,
                    "no provider with callbacks has this path (runway, vertex and bedrock have none)");
        }
        CallbackCheck check = checks.get(provider);
        if (check == null) {
            return answer(exchange, provider, Outcome.NOT_CONFIGURED, "no signing secret of " + provider
                    + " is configured here (sora.webhooks." + provider + "-secret)");
        }
        String type = String.valueOf(request.getHeader("Content-Type")).toLowerCase(Locale.ROOT);
        if (type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/")) {
            return answer(exchange, provider, Outcome.MALFORMED, "callbacks are JSON");
        }
        // the bytes as received (Vert.x's buffer, or Camel's stream cache of it): never a decoded or re-encoded copy
        byte[] raw = exchange.getIn().getBody() == null ? new byte[0] : exchange.getIn().getBody(byte[].class);
        Function<String, String> header = request::getHeader;
        Delivery delivery;
        try {
            delivery = check.check(header, raw, clock.millis());
        } catch (Refused e) {
            return answer(exchange, provider, e.outcome(), e.getMessage());
        }
        CallbackHints.Result result = store.callbacks().take(provider, delivery.key(), delivery.validUntil(),
                delivery.jobId());
        return switch (result) {
            case DUE_NOW -> answer(exchange, provider, Outcome.ACCEPTED, "the job's status check is due now");
            case SETTLED -> answer(exchange, provider, Outcome.SETTLED, "the job is no longer waiting on " + provider);
            case REPLAYED -> answer(exchange, provider, Outcome.REPLAYED, "this delivery was received before");
            case UNKNOWN_JOB -> answer(exchange, provider, Outcome.UNKNOWN_JOB, "no job of " + provider
                    + " with that id is in the store");
        };
    }

    private String answer(Exchange exchange, String provider, Outcome outcome, String message)
            throws JsonProcessingException {
        meters.count(provider, outcome);
        if (outcome.status() >= 400) {
            LOG.info("Refused a callback for {}: {} ({})", provider, outcome.label(), message);
        } else {
            LOG.debug("Callback for {}: {}", provider, outcome.label());
        }
        return HttpAnswer.json(exchange, outcome.status(), Map.of("outcome", outcome.label(), "message", message));
    }
}

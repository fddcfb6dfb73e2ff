package dev.sorabatch;

import java.time.Clock;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.prometheus.MicrometerPrometheus;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.SimpleEventNotifierSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sorabatch.api.ApiToken;
import dev.sorabatch.api.BatchApi;
import dev.sorabatch.api.BatchOperations;
import dev.sorabatch.api.HttpSettings;
import dev.sorabatch.manifest.CostEstimate;
import dev.sorabatch.observe.DomainMeters;
import dev.sorabatch.observe.HealthReport;
import dev.sorabatch.observe.ProviderAccess;
import dev.sorabatch.observe.ReadinessCheck;
import dev.sorabatch.provider.ProviderRegistry;
import dev.sorabatch.store.JobStore;
import dev.sorabatch.submit.SubmitWorker;
import dev.sorabatch.webhook.WebhookEndpoint;
import dev.sorabatch.webhook.WebhookSettings;
import dev.sorabatch.worker.ProviderGate;

/**
 * Assembles the embedded HTTP server ({@code sora.http.*}) and what {@code routes/http.yaml} calls: the readiness
 * checks, the meters and the batch API. Nothing is started or bound with {@code sora.http.enabled=false}.
 */
final class OperatorSurface {

    private static final Logger LOG = LoggerFactory.getLogger(OperatorSurface.class);

    /** What the readiness checks look at. */
    record Checked(JobStore store, ProviderRegistry providers, ProviderGate gate, ReadinessCheck.Probe input) {
    }

    private OperatorSurface() {
    }

    /** Binds the server as {@code httpServer} (the port it took is {@code getPort()}), unless it is disabled. */
    static void assemble(CamelContext camel, HttpSettings http, WebhookSettings webhooks, PrometheusMeterRegistry meters,
                                            Checked checked, CostEstimate cost, SubmitWorker submit, Clock clock)
            throws Exception {
        if (!http.enabled()) {
            return;
        }
        Registry registry = camel.getRegistry();
        // Camel's own meters (routes, exchanges) go into the same registry as the pipeline's
        registry.bind("metricsRegistry", meters);
        MicrometerPrometheus camelMeters = new MicrometerPrometheus();
        camelMeters.setCamelContext(camel);
        camel.addService(camelMeters);

        HealthCheckRegistry health = HealthCheckRegistry.get(camel);
        health.setExposureLevel("full"); // every check with its state, not only the ones that are down
        long wait = http.healthTimeoutMillis();
        health.register(new ReadinessCheck("store", () -> checked.store().totals().ping(), wait));
        // one check per provider a row may use: "provider" for the default one, "provider-<name>" for the others
        for (ProviderRegistry.Entry p : checked.providers().entries()) {
            String id = p.name().equals(checked.providers().defaultName()) ? "provider" : "provider-" + p.name();
            health.register(new ReadinessCheck(id, new ProviderAccess(p.name(), p.adapter(), checked.gate(), clock),
                    wait));
        }
        health.register(new ReadinessCheck("input", checked.input(), wait));

        registry.bind("healthReport", new HealthReport(camel));
        registry.bind("domainMeters", new DomainMeters(meters, checked.store(), cost, checked.providers().defaultName(),
                submit::ceiling));
        registry.bind("batchApi", new BatchApi(new BatchOperations(checked.store(), cost, checked.providers()), new ApiToken(http.token())));
        registry.bind("webhookEndpoint", new WebhookEndpoint(webhooks, checked.store(), clock, meters));

        VertxPlatformHttpServerConfiguration conf = new VertxPlatformHttpServerConfiguration();
        conf.setBindHost(http.host());
        conf.setPort(http.port());
        conf.setMaxBodySize(webhooks.maxBodyBytes()); // only callbacks have bodies; larger ones are refused with 413
        VertxPlatformHttpServer server = new VertxPlatformHttpServer(conf);
        camel.addService(server);
        registry.bind("httpServer", server);
        camel.getManagementStrategy().addEventNotifier(new SimpleEventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                if (event.getType() == CamelEvent.Type.CamelContextStarted) {
                    LOG.info("HTTP server on http://{}:{}: /observe/health, /observe/metrics, /api/batches{}, "
                            + "/webhooks/<provider> (callbacks on: {})", http.host(), server.getPort(),
                            http.token().isEmpty() ? " (cancel and retry refused: no sora.http.token)" : "",
                            webhooks.calledBack().isEmpty() ? "none" : String.join(", ", webhooks.calledBack()));
                }
            }
        });
    }
}

package dev.sorabatch;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.lang.management.ManagementFactory;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.SimpleEventNotifierSupport;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.service.ServiceSupport;

import dev.sorabatch.ingest.BatchIngestor;
import dev.sorabatch.ingest.ValidationRules;
import dev.sorabatch.manifest.CostEstimate;
import dev.sorabatch.manifest.Finalizer;
import dev.sorabatch.manifest.ManifestWriter;
import dev.sorabatch.output.FetchWorker;
import dev.sorabatch.output.FolderOutputStore;
import dev.sorabatch.output.OutputStore;
import dev.sorabatch.poll.PollPacer;
import dev.sorabatch.poll.PollWorker;
import dev.sorabatch.provider.RetryPolicy;
import dev.sorabatch.provider.VideoProvider;
import dev.sorabatch.provider.openai.OpenAiVideoProvider;
import dev.sorabatch.provider.simulator.SimulatorServer;
import dev.sorabatch.provider.simulator.SimulatorSettings;
import dev.sorabatch.run.ProgressReporter;
import dev.sorabatch.run.RunControl;
import dev.sorabatch.store.JobStore;
import dev.sorabatch.submit.CreateRateLimiter;
import dev.sorabatch.submit.Reconciler;
import dev.sorabatch.submit.SubmitWorker;

/**
 * Builds the pipeline's beans from the {@code sora.*} settings and binds them under the names the YAML routes in
 * {@code routes/} use. Settings are all read and checked here, before any route starts.
 */
public class PipelineConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext camel) throws Exception {
        Settings s = new Settings(key -> camel.getPropertiesComponent().resolveProperty(key));
        Registry registry = camel.getRegistry();
        Clock clock = Clock.systemUTC();
        String owner = s.text("sora.instance-id", "").isEmpty() ? ManagementFactory.getRuntimeMXBean().getName()
                : s.text("sora.instance-id");

        HikariDataSource dataSource = dataSource(s);
        camel.addService(closing(dataSource::close));
        JobStore store = new JobStore(dataSource, clock);
        store.migrate();

        VideoProvider provider = provider(camel, s);
        RunControl run = new RunControl(camel, store, s.flag("sora.once"));
        camel.getManagementStrategy().addEventNotifier(new SimpleEventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                if (event.getType() == CamelEvent.Type.CamelContextStarted) {
                    run.started(provider);
                }
            }
        });

        if (!s.text("sora.input").startsWith("file:")) {
            throw new Settings.SettingException("sora.input", "must be file:<folder>, got '" + s.text("sora.input") + "'");
        }
        OutputStore output = output(s);
        RetryPolicy retry = new RetryPolicy(s.millis("sora.retry.initial-delay"), s.decimal("sora.retry.multiplier", 1, 10),
                s.decimal("sora.retry.jitter", 0, 1), s.millis("sora.retry.max-delay"), s.millis("sora.retry.retry-after-cap"),
                s.integer("sora.retry.max-attempts", 1));
        PollPacer pacer = new PollPacer(clock, s.millis("sora.poll.min-interval"), s.millis("sora.poll.max-interval"),
                s.millis("sora.poll.initial-interval"));
        CreateRateLimiter limiter = new CreateRateLimiter(clock, s.integer("sora.rate.requests-per-minute", 1),
                s.integer("sora.rate.burst", 1), s.millis("sora.rate.margin"));
        int batchSize = s.integer("sora.workers.claim-size", 1);
        long lease = s.millis("sora.workers.lease");
        // a create may take up to the HTTP response timeout: only after that may its item be reconciled
        long createLease = s.millis("camel.component.http.response-timeout") + s.millis("sora.reconcile.settle-time");

        registry.bind("jobStore", store);
        registry.bind("runControl", run);
        registry.bind("batchIngestor", new BatchIngestor(store, rules(s), run, provider.name(),
                Path.of(s.text("sora.input.done")), Path.of(s.text("sora.input.error")), s.flag("sora.input.skip-duplicates")));
        registry.bind("submitWorker", new SubmitWorker(store, provider, limiter, retry, pacer, run,
                s.integer("sora.max-in-flight", 1), batchSize, createLease, s.millis("sora.reconcile.settle-time"), owner));
        registry.bind("reconciler", new Reconciler(store, provider, retry, pacer, s.integer("sora.reconcile.max-attempts", 1),
                s.millis("sora.reconcile.window"), lease, batchSize, owner));
        registry.bind("pollWorker", new PollWorker(store, provider, pacer, retry, run, batchSize, lease, owner));
        registry.bind("fetchWorker", new FetchWorker(store, provider, output, retry, run,
                s.flag("sora.output.thumbnails"), batchSize, lease, owner));
        registry.bind("finalizer", new Finalizer(store, new ManifestWriter(store, output,
                new CostEstimate(s.map("sora.cost.usd-per-second")), Path.of(s.text("sora.data-dir"), "tmp")), output, lease));
        registry.bind("progressReporter", new ProgressReporter(store));
    }

    private static HikariDataSource dataSource(Settings s) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(s.text("sora.store.url"));
        config.setUsername(s.text("sora.store.user", ""));
        config.setPassword(s.text("sora.store.password", ""));
        config.setMaximumPoolSize(s.integer("sora.store.pool-size", 2));
        config.setPoolName("sora-store");
        return new HikariDataSource(config);
    }

    private static VideoProvider provider(CamelContext camel, Settings s) throws Exception {
        String provider = s.text("sora.provider");
        switch (provider) {
            case "simulator" -> {
                SimulatorServer simulator = new SimulatorServer(s.integer("sora.simulator.port", 0), simulatorSettings(s)).start();
                camel.addService(closing(simulator::close));
                camel.getRegistry().bind("simulator", simulator);
                return new OpenAiVideoProvider(camel, "simulator", simulator.baseUrl(), "Authorization", "simulator",
                        s.map("sora.openai.model-map"));
            }
            case "openai" -> {
                String key = s.text("sora.openai.api-key", "");
                if (key.isEmpty()) {
                    throw new Settings.SettingException("sora.openai.api-key", "is empty: set OPENAI_API_KEY");
                }
                String header = s.text("sora.openai.auth-header");
                if (!header.equalsIgnoreCase("authorization") && !header.equalsIgnoreCase("api-key")) {
                    throw new Settings.SettingException("sora.openai.auth-header", "must be Authorization or api-key");
                }
                return new OpenAiVideoProvider(camel, "openai", s.text("sora.openai.base-url"), header, key,
                        s.map("sora.openai.model-map"));
            }
            default -> throw new Settings.SettingException("sora.provider", "must be simulator or openai, got '" + provider + "'");
        }
    }

    private static SimulatorSettings simulatorSettings(Settings s) {
        return new SimulatorSettings()
                .generationTime(Duration.ofMillis(s.millis("sora.simulator.generation-min")),
                        Duration.ofMillis(s.millis("sora.simulator.generation-max")))
                .createsPerMinute(s.integer("sora.simulator.creates-per-minute", 0))
                .createsBurst(s.integer("sora.simulator.creates-burst", 0))
                .maxInFlight(s.integer("sora.simulator.max-in-flight", 0))
                .serverErrorShare(s.decimal("sora.simulator.server-error-share", 0, 1))
                .dropShare(s.decimal("sora.simulator.drop-share", 0, 1))
                .lostResponseShare(s.decimal("sora.simulator.lost-response-share", 0, 1))
                .failureShare(s.decimal("sora.simulator.failure-share", 0, 1))
                .contentExpiry(Duration.ofMillis(s.millis("sora.simulator.content-expiry")))
                .blockedWord(s.text("sora.simulator.blocked-word", "").isEmpty() ? null : s.text("sora.simulator.blocked-word"));
    }

    private static OutputStore output(Settings s) {
        String output = s.text("sora.output");
        if (output.startsWith("file:")) {
            return new FolderOutputStore(Path.of(output.substring("file:".length())));
        }
        throw new Settings.SettingException("sora.output", "must be file:<folder>, got '" + output + "'");
    }

    private static ValidationRules rules(Settings s) {
        ValidationRules d = ValidationRules.defaults();
        try {
            return new ValidationRules(s.integer("sora.prompt.max-length", 1),
                    ValidationRules.parseNumbers(s.text("sora.seconds.allowed")), s.integer("sora.takes.max", 1),
                    s.text("sora.defaults.model"), s.integer("sora.defaults.seconds", 1), s.text("sora.defaults.size"),
                    d.standardSizes(), d.proSizes(), ValidationRules.parseList(s.text("sora.models.pro", "")),
                    ValidationRules.parseList(s.text("sora.models.extra", "")));
        } catch (IllegalArgumentException e) {
            throw e instanceof Settings.SettingException ? e
                    : new Settings.SettingException("sora.defaults.* / sora.seconds.allowed / sora.models.*", e.getMessage());
        }
    }

    /** Lets the CamelContext close a resource when it stops. */
    private static ServiceSupport closing(Runnable close) {
        return new ServiceSupport() {
            @Override
            protected void doStop() {
                close.run();
            }
        };
    }
}

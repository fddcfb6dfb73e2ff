package dev.sorabatch;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.lang.management.ManagementFactory;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.SimpleEventNotifierSupport;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.service.ServiceSupport;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.utils.SdkAutoCloseable;
import software.amazon.awssdk.services.sqs.SqsClient;

import dev.sorabatch.aws.AwsClients;
import dev.sorabatch.ingest.BatchIngestor;
import dev.sorabatch.ingest.BucketSource;
import dev.sorabatch.ingest.EventQueueSource;
import dev.sorabatch.ingest.FolderSource;
import dev.sorabatch.ingest.InputReferences;
import dev.sorabatch.ingest.InputSource;
import dev.sorabatch.ingest.ReadLimits;
import dev.sorabatch.ingest.ReferencePolicy;
import dev.sorabatch.ingest.ValidationRules;
import dev.sorabatch.manifest.CostEstimate;
import dev.sorabatch.manifest.Finalizer;
import dev.sorabatch.manifest.ManifestWriter;
import dev.sorabatch.output.BucketOutputStore;
import dev.sorabatch.output.FetchWorker;
import dev.sorabatch.output.FolderOutputStore;
import dev.sorabatch.output.OutputStore;
import dev.sorabatch.poll.PollPacer;
import dev.sorabatch.poll.PollWorker;
import dev.sorabatch.provider.Redactor;
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

    /** Images are read whole; the provider takes a few MB. */
    private static final int MAX_REFERENCE_MB = 1024;

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

        Aws aws = new Aws(camel, new AwsClients(s.text("sora.aws.region"), s.text("sora.aws.s3.endpoint", ""),
                s.text("sora.aws.sqs.endpoint", ""), s.flag("sora.aws.s3.path-style")));
        ReferencePolicy references = referencePolicy(s);
        VideoProvider provider = provider(camel, s, new InputReferences(aws::s3, references));
        RunControl run = new RunControl(camel, store, s.flag("sora.once"));
        camel.getManagementStrategy().addEventNotifier(new SimpleEventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                if (event.getType() == CamelEvent.Type.CamelContextStarted) {
                    run.started(provider);
                }
            }
        });

        OutputStore output = output(camel, s, aws);
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
        BatchIngestor ingestor = new BatchIngestor(store, rules(s, references),
                store.itemColumns().capped("input_reference", s.integer("sora.input-reference.max-length", 1)),
                readLimits(s), provider.name(), s.flag("sora.input.skip-duplicates"), lease);
        InputSource source = inputSource(s, ingestor, run, aws);
        registry.bind("inputSource", source);
        camel.getPropertiesComponent().addOverrideProperty("sora.input.endpoint", source.endpointUri());
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

    /** Reads {@code sora.input}: file:<folder>, s3://<bucket>/<prefix> or sqs://<queue>. */
    private static InputSource inputSource(Settings s, BatchIngestor ingestor, RunControl run, Aws aws) {
        String input = s.text("sora.input");
        boolean once = s.flag("sora.once");
        InputSource.Polling polling = new InputSource.Polling(s.millis("sora.input.poll-interval"),
                once ? null : s.text("sora.input.schedule", ""));
        if (input.startsWith("file:")) {
            return new FolderSource(ingestor, run, Path.of(input.substring("file:".length())),
                    Path.of(s.text("sora.input.done")), Path.of(s.text("sora.input.error")),
                    s.millis("sora.input.settle-time"), polling);
        }
        if (input.startsWith("s3://") && input.length() > "s3://".length()) {
            String path = input.substring("s3://".length());
            int slash = path.indexOf('/');
            return new BucketSource(ingestor, run, aws.s3(), slash < 0 ? path : path.substring(0, slash),
                    slash < 0 ? "" : path.substring(slash + 1), s.text("sora.input.s3.done-prefix"),
                    s.text("sora.input.s3.error-prefix"), polling);
        }
        if (input.startsWith("sqs://") && input.length() > "sqs://".length()) {
            return new EventQueueSource(ingestor, run, aws.s3(), aws.sqs(), input.substring("sqs://".length()),
                    s.text("sora.input.sqs.dead-letter-queue", ""), s.integer("sora.input.sqs.max-receives", 1),
                    s.text("sora.input.s3.error-prefix"), once, polling);
        }
        throw new Settings.SettingException("sora.input",
                "must be file:<folder>, s3://<bucket>/<prefix> or sqs://<queue>, got '" + input + "'");
    }

    /** The S3 and SQS clients, built on first use and bound as s3Client / sqsClient for the Camel components. */
    private static final class Aws {
        private final CamelContext camel;
        private final AwsClients clients;
        private S3Client s3;
        private SqsClient sqs;

        Aws(CamelContext camel, AwsClients clients) {
            this.camel = camel;
            this.clients = clients;
        }

        synchronized S3Client s3() {
            if (s3 == null) {
                s3 = clients.s3();
                bind("s3Client", s3);
            }
            return s3;
        }

        synchronized SqsClient sqs() {
            if (sqs == null) {
                sqs = clients.sqs();
                bind("sqsClient", sqs);
            }
            return sqs;
        }

        private void bind(String name, SdkAutoCloseable client) {
            camel.getRegistry().bind(name, client);
            try {
                camel.addService(closing(client::close));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static VideoProvider provider(CamelContext camel, Settings s, InputReferences references) throws Exception {
        String provider = s.text("sora.provider");
        switch (provider) {
            case "simulator" -> {
                SimulatorServer simulator = new SimulatorServer(s.integer("sora.simulator.port", 0), simulatorSettings(s)).start();
                camel.addService(closing(simulator::close));
                camel.getRegistry().bind("simulator", simulator);
                return new OpenAiVideoProvider(camel, "simulator", simulator.baseUrl(), "Authorization", "simulator",
                        s.map("sora.openai.model-map"), references);
            }
            case "openai" -> {
                String key = s.text("sora.openai.api-key", "");
                if (key.isEmpty()) {
                    throw new Settings.SettingException("sora.openai.api-key", "is empty: set OPENAI_API_KEY");
                }
                Redactor.addSecret(key);
                String header = s.text("sora.openai.auth-header");
                if (!header.equalsIgnoreCase("authorization") && !header.equalsIgnoreCase("api-key")) {
                    throw new Settings.SettingException("sora.openai.auth-header", "must be Authorization or api-key");
                }
                return new OpenAiVideoProvider(camel, "openai", s.text("sora.openai.base-url"), header, key,
                        s.map("sora.openai.model-map"), references);
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
                .largeVideoBytes(s.wholeNumber("sora.simulator.video-bytes", 0))
                .blockedWord(s.text("sora.simulator.blocked-word", "").isEmpty() ? null : s.text("sora.simulator.blocked-word"));
    }

    /** Reads {@code sora.output}: file:<folder> or s3://<bucket>/<prefix>. */
    private static OutputStore output(CamelContext camel, Settings s, Aws aws) {
        String output = s.text("sora.output");
        if (output.startsWith("file:")) {
            return new FolderOutputStore(Path.of(output.substring("file:".length())));
        }
        if (output.startsWith("s3://") && output.length() > "s3://".length()) {
            aws.s3(); // binds the client the aws2-s3 producer looks up
            return BucketOutputStore.forUri(camel.createProducerTemplate(), output,
                    s.integer("sora.output.s3.part-size-mb", BucketOutputStore.MIN_PART_SIZE_MB),
                    Path.of(s.text("sora.data-dir"), "tmp"));
        }
        throw new Settings.SettingException("sora.output",
                "must be file:<folder> or s3://<bucket>/<prefix>, got '" + output + "'");
    }

    private static ReferencePolicy referencePolicy(Settings s) {
        int maxMb = s.integer("sora.input-reference.max-mb", 1);
        if (maxMb > MAX_REFERENCE_MB) {
            throw new Settings.SettingException("sora.input-reference.max-mb", "must be at most " + MAX_REFERENCE_MB);
        }
        try {
            return new ReferencePolicy(Set.copyOf(s.list("sora.input-reference.allow-urls")),
                    Set.copyOf(s.list("sora.input-reference.allow-buckets")), maxMb * 1024 * 1024);
        } catch (IllegalArgumentException e) {
            throw new Settings.SettingException("sora.input-reference.allow-urls", e.getMessage());
        }
    }

    private static ReadLimits readLimits(Settings s) {
        return new ReadLimits(s.integer("sora.input.max-file-mb", 1) * 1024L * 1024,
                s.integer("sora.input.max-line-length", 1), s.integer("sora.input.max-cell-length", 1),
                s.integer("sora.input.max-nesting-depth", 1), s.integer("sora.input.max-rows", 1),
                s.integer("sora.input.max-columns", 1));
    }

    private static ValidationRules rules(Settings s, ReferencePolicy references) {
        ValidationRules d = ValidationRules.defaults();
        try {
            return new ValidationRules(s.integer("sora.prompt.max-length", 1),
                    ValidationRules.parseNumbers(s.text("sora.seconds.allowed")), s.integer("sora.takes.max", 1),
                    s.text("sora.defaults.model"), s.integer("sora.defaults.seconds", 1), s.text("sora.defaults.size"),
                    d.standardSizes(), d.proSizes(), ValidationRules.parseList(s.text("sora.models.pro", "")),
                    ValidationRules.parseList(s.text("sora.models.extra", "")), references);
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

package dev.sorabatch;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.SimpleEventNotifierSupport;
import org.apache.camel.support.service.ServiceSupport;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.utils.SdkAutoCloseable;

import dev.sorabatch.aws.AwsClients;
import dev.sorabatch.settings.SettingException;
import dev.sorabatch.settings.Settings;
import dev.sorabatch.ingest.BatchIngestor;
import dev.sorabatch.ingest.BucketSource;
import dev.sorabatch.ingest.EventQueueSource;
import dev.sorabatch.ingest.FolderSource;
import dev.sorabatch.reference.InputReferences;
import dev.sorabatch.ingest.InputSource;
import dev.sorabatch.ingest.ReadLimits;
import dev.sorabatch.reference.ReferencePolicy;
import dev.sorabatch.reference.ReferenceSettings;
import dev.sorabatch.ingest.ValidationRules;
import dev.sorabatch.manifest.CostEstimate;
import dev.sorabatch.manifest.Finalizer;
import dev.sorabatch.manifest.ManifestWriter;
import dev.sorabatch.output.BucketOutputStore;
import dev.sorabatch.output.FetchWorker;
import dev.sorabatch.output.FolderOutputStore;
import dev.sorabatch.output.OutputStore;
import dev.sorabatch.output.WritableFolder;
import dev.sorabatch.poll.PollPacer;
import dev.sorabatch.poll.PollWorker;
import dev.sorabatch.provider.Redactor;
import dev.sorabatch.provider.RetryPolicy;
import dev.sorabatch.provider.VideoProvider;
import dev.sorabatch.provider.openai.OpenAiSettings;
import dev.sorabatch.provider.openai.OpenAiVideoProvider;
import dev.sorabatch.simulator.SimulatorServer;
import dev.sorabatch.simulator.SimulatorSettings;
import dev.sorabatch.run.ProgressReporter;
import dev.sorabatch.run.RunControl;
import dev.sorabatch.store.JobStore;
import dev.sorabatch.store.StoreDataSource;
import dev.sorabatch.submit.CreateRateLimiter;
import dev.sorabatch.submit.Reconciler;
import dev.sorabatch.submit.SubmitWorker;

/**
 * Builds the pipeline's beans from the {@code sora.*} settings and binds them under the names the YAML routes in
 * {@code routes/} use. Every setting is read and checked against its bounds first, before anything is opened or
 * started, so a bad one ends the start with one line naming it; then the output and the store are proven usable
 * (exit 1 with the reason if not), and only then is the provider reached.
 */
public class PipelineConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext camel) throws Exception {
        Settings s = new Settings(key -> camel.getPropertiesComponent().resolveProperty(key));
        Clock clock = Clock.systemUTC();

        // ---- every setting, checked, before anything is opened or started
        String owner = s.text("sora.instance-id", "").isEmpty() ? defaultInstanceId() : s.text("sora.instance-id");
        boolean once = s.flag("sora.once");
        Path tempDir = Path.of(s.text("sora.data-dir"), "tmp");
        StoreDataSource.Options storeOptions = new StoreDataSource.Options(s.text("sora.store.url"),
                s.text("sora.store.user", ""), s.text("sora.store.password", ""),
                s.integer("sora.store.pool-size", 2, 1000), s.flag("sora.store.allow-volatile"));
        AwsClients awsClients = new AwsClients(s.text("sora.aws.region"), s.text("sora.aws.s3.endpoint", ""),
                s.text("sora.aws.sqs.endpoint", ""), s.flag("sora.aws.s3.path-style"));
        ProviderChoice providerChoice = ProviderChoice.from(s);
        InputSettings input = InputSettings.read(s, once);
        String outputUri = s.text("sora.output");
        if (!outputUri.startsWith("file:") && !(outputUri.startsWith("s3://") && outputUri.length() > "s3://".length())) {
            throw new SettingException("sora.output",
                    "must be file:<folder> or s3://<bucket>/<prefix>, got '" + outputUri + "'");
        }
        int partSizeMb = s.integer("sora.output.s3.part-size-mb", BucketOutputStore.MIN_PART_SIZE_MB, 5120);
        boolean thumbnails = s.flag("sora.output.thumbnails");
        RetryPolicy createRetry = retryPolicy(s, "sora.retry.initial-delay", "sora.retry.max-delay",
                s.integer("sora.retry.max-attempts", 1));
        RetryPolicy freeRetry = retryPolicy(s, "sora.retry.free.initial-delay", "sora.retry.free.max-delay",
                s.integer("sora.retry.free.max-attempts", 1));
        long pollMin = s.millis("sora.poll.min-interval");
        long pollMax = s.millis("sora.poll.max-interval", 1);
        s.ordered("sora.poll.min-interval", pollMin, "sora.poll.max-interval", pollMax);
        PollPacer pacer = new PollPacer(clock, pollMin, pollMax, s.millis("sora.poll.initial-interval"));
        int perMinute = s.integer("sora.rate.requests-per-minute", 1);
        CreateRateLimiter limiter = new CreateRateLimiter(clock, perMinute,
                s.integer("sora.rate.burst", 1, perMinute), s.millis("sora.rate.margin"));
        int maxInFlight = s.integer("sora.max-in-flight", 1);
        int claimSize = s.integer("sora.workers.claim-size", 1, 10_000);
        long lease = s.millis("sora.workers.lease", 1000);
        // the timer routes read these themselves; a period of 0 would never fire
        for (String period : new String[] {"sora.workers.period", "sora.workers.reconcile-period",
                "sora.workers.finalize-period", "sora.progress.interval"}) {
            s.millis(period, 1);
        }
        long reconcileSettle = s.millis("sora.reconcile.settle-time");
        long reconcileWindow = s.millis("sora.reconcile.window", 1000);
        int reconcileAttempts = s.integer("sora.reconcile.max-attempts", 1);
        // a create may take up to the HTTP response timeout: only after that may its item be reconciled
        long createLease = s.millis("camel.component.http.response-timeout", 1) + reconcileSettle;
        ReferenceSettings referenceSettings = ReferenceSettings.from(s);
        ReferencePolicy references = referenceSettings.policy();
        ValidationRules rules = rules(s, references);
        ReadLimits readLimits = readLimits(s);
        CostEstimate cost = new CostEstimate(s.map("sora.cost.usd-per-second"));

        // ---- the output, the working folder and the store must be usable before any work is taken in
        if (outputUri.startsWith("file:")) {
            checked("sora.output", () -> WritableFolder.check(Path.of(outputUri.substring("file:".length()))));
        }
        checked("sora.data-dir", () -> WritableFolder.check(tempDir)); // manifest drafts, upload spools
        HikariDataSource dataSource = openStore(storeOptions);
        camel.addService(closing(dataSource::close));
        JobStore store = new JobStore(dataSource, clock);
        store.migrate();
        store.reopenFailedFinalizations();

        Aws aws = new Aws(camel, awsClients);
        OutputStore output = output(camel, outputUri, partSizeMb, tempDir, aws);
        if (!outputUri.startsWith("file:")) {
            checked("sora.output", output::check);
        }
        VideoProvider provider = providerChoice.provider(camel, s);
        RunControl run = new RunControl(camel, store, once);
        camel.getManagementStrategy().addEventNotifier(new SimpleEventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                if (event.getType() == CamelEvent.Type.CamelContextStarted) {
                    run.started(provider);
                }
            }
        });

        Registry registry = camel.getRegistry();
        registry.bind("jobStore", store);
        registry.bind("runControl", run);
        BatchIngestor ingestor = new BatchIngestor(store, rules,
                store.itemColumns().capped("input_reference", referenceSettings.maxLength()), readLimits, provider.name(),
                input.skipDuplicates(), lease);
        InputSource source = input.source(ingestor, run, aws);
        registry.bind("inputSource", source);
        // the first poll at once rather than after the consumer's default second: it is on every start's clock
        camel.getPropertiesComponent().addOverrideProperty("sora.input.endpoint", source.endpointUri() + "&initialDelay=0");
        registry.bind("submitWorker", new SubmitWorker(store, provider, limiter, createRetry, pacer, run, maxInFlight,
                claimSize, createLease, reconcileSettle, owner, new InputReferences(aws::s3, references)));
        registry.bind("reconciler", new Reconciler(store, provider, freeRetry, pacer, reconcileAttempts,
                reconcileWindow, lease, claimSize, owner));
        registry.bind("pollWorker", new PollWorker(store, provider, pacer, freeRetry, run, claimSize, lease, owner));
        registry.bind("fetchWorker", new FetchWorker(store, provider, output, freeRetry, run, thumbnails, claimSize,
                lease, owner));
        registry.bind("finalizer", new Finalizer(store, new ManifestWriter(store, output, cost, tempDir), output,
                freeRetry, lease));
        registry.bind("progressReporter", new ProgressReporter(store));
    }

    /** {@code <pid>@<host>}, without loading the JVM's management beans for it. */
    private static String defaultInstanceId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        return ProcessHandle.current().pid() + "@" + host;
    }

    private static RetryPolicy retryPolicy(Settings s, String initialKey, String maxKey, int maxAttempts) {
        long initial = s.millis(initialKey, 1);
        long max = s.millis(maxKey, 1);
        s.ordered(initialKey, initial, maxKey, max);
        // resilience4j's randomized backoff takes a factor below 1
        return new RetryPolicy(initial, s.decimal("sora.retry.multiplier", 1, 10),
                s.decimal("sora.retry.jitter", 0, 0.99), max, s.millis("sora.retry.retry-after-cap"), maxAttempts);
    }

    private static HikariDataSource openStore(StoreDataSource.Options options) {
        StoreDataSource.h2Folder(options.url())
                .ifPresent(folder -> checked("sora.store.url", () -> WritableFolder.check(folder)));
        try {
            return StoreDataSource.open(options);
        } catch (StoreDataSource.StoreException e) {
            throw new SettingException("sora.store.url", e.getMessage());
        }
    }

    private interface Check {
        void run() throws IOException;
    }

    /** Runs a start-up check; its failure stops the start with the setting's name and the reason. */
    private static void checked(String setting, Check check) {
        try {
            check.run();
        } catch (IOException e) {
            throw new SettingException(setting, "cannot be used: " + e.getMessage());
        }
    }

    /** {@code sora.input} and what goes with it: file:<folder>, s3://<bucket>/<prefix> or sqs://<queue>. */
    private record InputSettings(String uri, Path done, Path error, long settleMillis, InputSource.Polling polling,
                                 String s3DonePrefix, String s3ErrorPrefix, String deadLetterQueue, int maxReceives,
                                 boolean once, boolean skipDuplicates) {

        static InputSettings read(Settings s, boolean once) {
            String uri = s.text("sora.input");
            if (!uri.startsWith("file:") && !(uri.startsWith("s3://") && uri.length() > "s3://".length())
                    && !(uri.startsWith("sqs://") && uri.length() > "sqs://".length())) {
                throw new SettingException("sora.input",
                        "must be file:<folder>, s3://<bucket>/<prefix> or sqs://<queue>, got '" + uri + "'");
            }
            String cron = s.cron("sora.input.schedule");
            return new InputSettings(uri, Path.of(s.text("sora.input.done")), Path.of(s.text("sora.input.error")),
                    s.millis("sora.input.settle-time", 1),
                    new InputSource.Polling(s.millis("sora.input.poll-interval", 1), once ? null : cron),
                    s.text("sora.input.s3.done-prefix"), s.text("sora.input.s3.error-prefix"),
                    s.text("sora.input.sqs.dead-letter-queue", ""), s.integer("sora.input.sqs.max-receives", 1), once,
                    s.flag("sora.input.skip-duplicates"));
        }

        InputSource source(BatchIngestor ingestor, RunControl run, Aws aws) {
            if (uri.startsWith("file:")) {
                return new FolderSource(ingestor, run, Path.of(uri.substring("file:".length())), done, error,
                        settleMillis, polling);
            }
            if (uri.startsWith("s3://")) {
                String path = uri.substring("s3://".length());
                int slash = path.indexOf('/');
                return new BucketSource(ingestor, run, aws.s3(), slash < 0 ? path : path.substring(0, slash),
                        slash < 0 ? "" : path.substring(slash + 1), s3DonePrefix, s3ErrorPrefix, polling);
            }
            return new EventQueueSource(ingestor, run, aws.s3(), aws.sqs(), uri.substring("sqs://".length()),
                    deadLetterQueue, maxReceives, s3ErrorPrefix, once, polling);
        }
    }

    /**
     * {@code sora.provider}: the built-in simulator (started on loopback when the provider is made) or an
     * OpenAI-compatible service; the simulator's settings are read only when it is the provider.
     */
    private record ProviderChoice(OpenAiSettings openai, SimulatorSettings simulator, int simulatorPort,
                                  String simulatorKey) {

        static ProviderChoice from(Settings s) {
            String name = s.text("sora.provider");
            return switch (name) {
                case "simulator" -> {
                    String key = s.text("sora.simulator.api-key", "");
                    yield new ProviderChoice(null, SimulatorSettings.from(s), SimulatorSettings.port(s),
                            key.isEmpty() ? "simulator" : key);
                }
                case "openai" -> new ProviderChoice(OpenAiSettings.from(s), null, 0, null);
                default -> throw new SettingException("sora.provider", "must be simulator or openai, got '" + name + "'");
            };
        }

        VideoProvider provider(CamelContext camel, Settings s) throws Exception {
            if (openai != null) {
                return new OpenAiVideoProvider(camel, openai);
            }
            SimulatorServer server = new SimulatorServer(simulatorPort, simulator).start();
            camel.addService(closing(server::close));
            camel.getRegistry().bind("simulator", server);
            return new OpenAiVideoProvider(camel, OpenAiSettings.simulator(s, server.baseUrl(), simulatorKey));
        }
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

    /** {@code sora.output}: file:<folder> or s3://<bucket>/<prefix> (checked above). */
    private static OutputStore output(CamelContext camel, String output, int partSizeMb, Path tempDir, Aws aws) {
        if (output.startsWith("file:")) {
            return new FolderOutputStore(Path.of(output.substring("file:".length())));
        }
        aws.s3(); // binds the client the aws2-s3 producer looks up
        try {
            return BucketOutputStore.forUri(camel.createProducerTemplate(), output, partSizeMb, tempDir);
        } catch (IllegalArgumentException e) {
            throw new SettingException("sora.output", e.getMessage());
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
            throw e instanceof SettingException ? e
                    : new SettingException("sora.defaults.* / sora.seconds.allowed / sora.models.*", e.getMessage());
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

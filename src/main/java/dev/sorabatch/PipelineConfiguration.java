package dev.sorabatch;

import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.function.Function;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.SimpleEventNotifierSupport;
import org.apache.camel.support.service.ServiceSupport;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import dev.sorabatch.api.HttpSettings;
import dev.sorabatch.aws.AwsBeans;
import dev.sorabatch.aws.AwsClients;
import dev.sorabatch.budget.Budget;
import dev.sorabatch.budget.BudgetSettings;
import dev.sorabatch.budget.ItemPrices;
import dev.sorabatch.fetch.ClipQa;
import dev.sorabatch.fetch.FetchSettings;
import dev.sorabatch.fetch.FetchWorker;
import dev.sorabatch.fetch.PosterFrame;
import dev.sorabatch.fetch.Posters;
import dev.sorabatch.ingest.BatchIngestor;
import dev.sorabatch.ingest.InputSettings;
import dev.sorabatch.ingest.ListingDuty;
import dev.sorabatch.lifecycle.ProgressBars;
import dev.sorabatch.ingest.RowProviders;
import dev.sorabatch.lifecycle.ProgressReporter;
import dev.sorabatch.lifecycle.RunControl;
import dev.sorabatch.lifecycle.RunSettings;
import dev.sorabatch.lifecycle.StartupChecks;
import dev.sorabatch.manifest.Finalizer;
import dev.sorabatch.manifest.GalleryLinks;
import dev.sorabatch.manifest.GallerySettings;
import dev.sorabatch.manifest.ManifestSettings;
import dev.sorabatch.manifest.ManifestWriter;
import dev.sorabatch.output.BucketOutputStore;
import dev.sorabatch.output.OutputSettings;
import dev.sorabatch.output.OutputStore;
import dev.sorabatch.poll.PollPacer;
import dev.sorabatch.poll.PollSettings;
import dev.sorabatch.poll.PollWorker;
import dev.sorabatch.provider.ProviderRegistry;
import dev.sorabatch.reference.InputReferences;
import dev.sorabatch.reference.ReferenceSettings;
import dev.sorabatch.settings.Settings;
import dev.sorabatch.store.JobStore;
import dev.sorabatch.store.StoreSettings;
import dev.sorabatch.qa.ClipCheck;
import dev.sorabatch.submit.DryRunPlanner;
import dev.sorabatch.submit.Reconciler;
import dev.sorabatch.submit.SubmitSettings;
import dev.sorabatch.submit.SubmitWorker;
import dev.sorabatch.webhook.WebhookSettings;
import dev.sorabatch.worker.Meters;
import dev.sorabatch.worker.PausePolicy;
import dev.sorabatch.worker.ProviderGate;
import dev.sorabatch.worker.RetrySettings;
import dev.sorabatch.worker.WorkContext;
import dev.sorabatch.worker.WorkerSettings;

/**
 * Assembles the pipeline: builds each area's settings record (each reads and checks its own {@code sora.*} keys),
 * constructs the beans and binds them under the names the YAML routes in {@code routes/} use. Every record is
 * built first, before anything is opened or started, so a bad setting ends the start with one line naming it; then
 * the output, the working folder and the store are proven usable (exit 1 with the reason if not), and only then is
 * the provider reached.
 */
public class PipelineConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext camel) throws Exception {
        Settings s = new Settings(key -> camel.getPropertiesComponent().resolveProperty(key));
        Clock clock = Clock.systemUTC();

        // ---- every setting, checked, before anything is opened or started
        RunSettings runSettings = RunSettings.from(s);
        StoreSettings storeSettings = StoreSettings.from(s);
        AwsClients awsSettings = AwsClients.from(s);
        ReferenceSettings references = ReferenceSettings.from(s);
        InputSettings input = InputSettings.from(s, references.policy());
        OutputSettings outputSettings = OutputSettings.from(s);
        FetchSettings fetchSettings = FetchSettings.from(s);
        RetrySettings retry = RetrySettings.from(s);
        PollSettings pollSettings = PollSettings.from(s);
        SubmitSettings submitSettings = SubmitSettings.from(s);
        ProviderSetup providerSetup = ProviderSetup.from(s, submitSettings.limits());
        ManifestSettings manifestSettings = ManifestSettings.from(s, providerSetup.catalog());
        WorkerSettings workerSettings = WorkerSettings.from(s);
        HttpSettings httpSettings = HttpSettings.from(s);
        WebhookSettings webhookSettings = WebhookSettings.from(s, httpSettings.enabled());
        BudgetSettings budgetSettings = BudgetSettings.from(s);
        ItemPrices prices = new ItemPrices(providerSetup.catalog(), providerSetup.defaultName());
        GallerySettings gallerySettings = GallerySettings.from(s);

        // ---- the output, the working folder and the store must be usable before any work is taken in
        if (outputSettings.folder() != null) {
            StartupChecks.writableFolder("sora.output", outputSettings.folder());
        }
        StartupChecks.writableFolder("sora.data-dir", outputSettings.tempDir()); // manifest drafts, upload spools
        HikariDataSource dataSource = StartupChecks.openStore(storeSettings);
        camel.addService(closing(dataSource::close));
        JobStore store = new JobStore(dataSource, clock);
        store.migrate();
        store.batches().reopenFailedFinalizations();

        AwsBeans aws = new AwsBeans(camel, awsSettings);
        OutputStore output = outputSettings.open(camel.createProducerTemplate(), aws::s3);
        if (outputSettings.folder() == null) {
            StartupChecks.writableOutput("sora.output", output);
        }
        Function<String, GalleryLinks> galleryLinks = gallerySettings.links(gallerySigner(camel, awsSettings, output),
                clock);
        ProviderRegistry providers = providerSetup.registry(camel, webhookSettings::callbackUrl);
        ProviderGate gate = new ProviderGate(clock, providerSetup.credentialsHints());
        RunControl run = new RunControl(camel, store, gate, runSettings.once());
        ListingDuty listing = input.listingDuty(store.duties(), workerSettings.owner(), workerSettings.leaseMillis(), run);
        camel.getManagementStrategy().addEventNotifier(new SimpleEventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                if (event.getType() == CamelEvent.Type.CamelContextStarted) {
                    run.started(budgetSettings.dryRun() ? null : providers);
                } else if (event.getType() == CamelEvent.Type.CamelContextStopping) {
                    listing.release();
                }
            }
        });

        Registry registry = camel.getRegistry();
        registry.bind("jobStore", store);
        registry.bind("storeDataSource", dataSource);
        registry.bind("runControl", run);
        BatchIngestor ingestor = new BatchIngestor(store, input.rules(),
                store.itemColumns().capped("input_reference", references.maxLength()), input.limits(),
                providerSetup.batchProvider(), new RowProviders(providerSetup.defaultName(), providerSetup.names(),
                        providerSetup.catalog()), input.skipDuplicates(), workerSettings.leaseMillis());
        registry.bind("inputSource", input.source(ingestor, run, aws::s3, aws::sqs));
        registry.bind("inputListing", listing);
        input.scheduler(runSettings.once()).ifPresent(quartz -> registry.bind("inputSchedule", quartz));
        input.routeProperties(runSettings.once()).forEach(camel.getPropertiesComponent()::addOverrideProperty);

        PrometheusMeterRegistry meterRegistry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        WorkContext work = WorkContext.of(store, workerSettings, gate, clock, new Meters(meterRegistry, providerSetup.defaultName()));
        PollPacer pacer = new PollPacer(clock, pollSettings, webhookSettings.calledBack(),
                webhookSettings.safetyNetMillis());
        registry.bind("pauseOnRefusedCredentials", new PausePolicy(gate));
        registry.bind("everyTick", PausePolicy.never());
        Budget budget = new Budget(store, prices, budgetSettings);
        registry.bind("budget", budget);
        SubmitWorker submitWorker = new SubmitWorker(work, providers, submitSettings, retry.create(), pacer,
                new InputReferences(aws::s3, references.policy()), budget);
        registry.bind("submitWorker", budgetSettings.dryRun() ? new DryRunPlanner(work) : submitWorker);
        registry.bind("reconciler", new Reconciler(work, providers, submitSettings, retry.free(), pacer));
        registry.bind("pollWorker", new PollWorker(work, providers, pacer, retry.free()));
        registry.bind("fetchWorker", new FetchWorker(work, providers, output, fetchSettings, retry.free(),
                new ClipQa(prices, ClipCheck.DEFAULT), new Posters(new PosterFrame(), outputSettings.tempDir())));
        registry.bind("finalizer", new Finalizer(work, new ManifestWriter(store.batches(), output, manifestSettings,
                budget, galleryLinks), output, retry.free()));
        ProgressBars bars = ProgressBars.wanted(runSettings.once(), runSettings.progressBar())
                ? ProgressBars.onTerminal(store, budget) : null;
        if (bars != null) {
            camel.addService(closing(bars::close));
        }
        registry.bind("progressReporter", new ProgressReporter(store, budget, bars));

        // ---- the operator surface (sora.http.*): health, metrics, the batch API, provider callbacks
        OperatorSurface.assemble(camel, httpSettings, webhookSettings, meterRegistry, new OperatorSurface.Checked(store, providers, gate,
                () -> input.checkReachable(aws::s3, aws::sqs)), manifestSettings.cost(), submitWorker, clock);
    }

    /** Pre-signed links to the output bucket, signed as the gallery is written; null for folder output. */
    private static GallerySettings.Signer gallerySigner(CamelContext camel, AwsClients aws, OutputStore output)
            throws Exception {
        if (!(output instanceof BucketOutputStore bucket)) {
            return null;
        }
        S3Presigner presigner = aws.presigner();
        camel.addService(closing(presigner::close));
        return (batch, path, validFor) -> URI.create(presigner.presignGetObject(r -> r.signatureDuration(validFor)
                .getObjectRequest(g -> g.bucket(bucket.bucket()).key(bucket.objectKey(batch, path)))).url().toString());
    }

    /** Lets the CamelContext close a resource when it stops. */
    static ServiceSupport closing(Runnable close) {
        return new ServiceSupport() {
            @Override
            protected void doStop() {
                close.run();
            }
        };
    }
}

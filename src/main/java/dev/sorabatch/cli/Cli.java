package dev.sorabatch.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.IntSupplier;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import dev.sorabatch.api.BatchOperations;
import dev.sorabatch.catalog.CatalogSettings;
import dev.sorabatch.lifecycle.StartupChecks;
import dev.sorabatch.manifest.ManifestSettings;
import dev.sorabatch.settings.SettingException;
import dev.sorabatch.settings.Settings;
import dev.sorabatch.store.JobStore;
import dev.sorabatch.store.StoreSettings;

/**
 * The jar's command line (picocli). Without a command it runs the pipeline; {@code status}, {@code cancel} and
 * {@code retry} do what the batch API does, on the configured store, without a server (for once-mode users). They
 * read the same settings as the pipeline (config/application.properties, environment variables, -D properties).
 */
@Command(name = "sora-batch", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = "Turns files of prompts into generated videos. Without a command: runs the pipeline "
                + "(watching the input, or once with -Dsora.once=true).",
        subcommands = {Cli.Status.class, Cli.Cancel.class, Cli.Retry.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done (pipeline: every item stored)", "1:could not run, or the batch refused the action",
                "2:bad command line", "3:pipeline finished with items not stored (see the manifest)"})
public final class Cli implements Callable<Integer> {

    static final int REFUSED = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final String settingsLocations;
    private final Map<String, String> overrides;
    private final IntSupplier pipeline;

    private Cli(String settingsLocations, Map<String, String> overrides, IntSupplier pipeline) {
        this.settingsLocations = settingsLocations;
        this.overrides = overrides;
        this.pipeline = pipeline;
    }

    /**
     * Runs the command line and returns the process's exit code.
     *
     * @param settingsLocations where the settings are read from, as Camel's properties component takes them
     * @param overrides         settings that win over every file (the test harnesses' own)
     * @param pipeline          runs the pipeline when no command is given
     */
    public static int execute(String[] args, String settingsLocations, Map<String, String> overrides,
                              IntSupplier pipeline) {
        return execute(args, settingsLocations, overrides, pipeline, new PrintWriter(System.out, true),
                new PrintWriter(System.err, true));
    }

    /** As {@link #execute(String[], String, Map, IntSupplier)}, printing answers to {@code out}, errors to {@code err}. */
    public static int execute(String[] args, String settingsLocations, Map<String, String> overrides,
                              IntSupplier pipeline, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Cli(settingsLocations, overrides, pipeline));
        cli.setOut(out);
        cli.setErr(err);
        return cli.execute(args);
    }

    @Override
    public Integer call() {
        return pipeline.getAsInt();
    }

    /** Opens the configured store for one command; the command's answer is printed as JSON. */
    private int withStore(CommandLine.Model.CommandSpec spec, StoreCommand command) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        // the answer goes to standard output for scripts; the store's start-up lines would be in its way
        Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        Level level = root.getLevel();
        root.setLevel(Level.WARN);
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            PropertiesComponent properties = camel.getPropertiesComponent();
            properties.setLocation(settingsLocations);
            overrides.forEach(properties::addOverrideProperty);
            Settings s = new Settings(properties::resolveProperty);
            StoreSettings storeSettings = StoreSettings.from(s);
            ManifestSettings manifest = ManifestSettings.from(s, CatalogSettings.catalog(s));
            try (HikariDataSource dataSource = StartupChecks.openStore(storeSettings)) {
                JobStore store = new JobStore(dataSource, Clock.systemUTC());
                store.migrate();
                Object answer = command.run(new BatchOperations(store, manifest.cost()));
                out.println(answer instanceof String text ? text : JSON.writeValueAsString(answer));
                out.flush();
                return 0;
            }
        } catch (BatchOperations.Refused e) {
            err.println(e.getMessage());
            err.flush();
            return REFUSED;
        } catch (SettingException e) {
            err.println("Cannot run: " + e.getMessage());
            err.flush();
            return REFUSED;
        } finally {
            root.setLevel(level);
        }
    }

    /** The jar's version, from its manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Cli.class.getPackage().getImplementationVersion();
            return new String[] {"sora-batch " + (version == null ? "(not a packaged build)" : version)};
        }
    }

    @FunctionalInterface
    private interface StoreCommand {
        Object run(BatchOperations operations) throws Exception;
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Shows every batch (one line each), or one batch with its items (JSON).")
    static final class Status implements Callable<Integer> {
        @CommandLine.ParentCommand
        private Cli cli;
        @CommandLine.Spec
        private CommandLine.Model.CommandSpec spec;
        @Parameters(arity = "0..1", paramLabel = "BATCH", description = "a batch id (its output folder's name)")
        private String batch;

        @Override
        public Integer call() throws Exception {
            return cli.withStore(spec, ops -> batch == null ? lines(ops.batches()) : ops.batch(batch));
        }

        private static String lines(List<Map<String, Object>> batches) {
            List<String> lines = new ArrayList<>();
            lines.add(String.format("%-40s %-15s %9s %7s %7s %9s %9s %9s %10s", "BATCH", "STATE", "STORED", "FAILED",
                    "EXPIRED", "UNCERTAIN", "CANCELLED", "ETA", "COST_USD"));
            for (Map<String, Object> b : batches) {
                @SuppressWarnings("unchecked")
                Map<String, Object> c = (Map<String, Object>) b.get("counts");
                lines.add(String.format("%-40s %-15s %9s %7s %7s %9s %9s %9s %10s", b.get("batch_id"), b.get("state"),
                        c.get("stored") + "/" + c.get("total"), c.get("failed"), c.get("expired"), c.get("uncertain"),
                        c.get("cancelled"), b.get("eta"), b.get("estimated_cost_usd")));
            }
            return String.join(System.lineSeparator(), lines);
        }
    }

    /** A command on one batch, named by its id. */
    abstract static class OnOneBatch implements Callable<Integer> {
        @CommandLine.ParentCommand
        Cli cli;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Parameters(paramLabel = "BATCH", description = "a batch id (its output folder's name)")
        String batch;
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true,
            description = "Cancels a batch's waiting items. Jobs already at the provider run to the end and are "
                    + "stored (they are paid).")
    static final class Cancel extends OnOneBatch {
        @Override
        public Integer call() throws Exception {
            return cli.withStore(spec, ops -> ops.cancel(batch));
        }
    }

    @Command(name = "retry", mixinStandardHelpOptions = true,
            description = "Queues a batch's failed, expired or uncertain items again as new attempts; the manifest "
                    + "is written again (next revision) when they end. Run the pipeline afterwards to send them.")
    static final class Retry extends OnOneBatch {
        @Option(names = "--status", required = true, split = ",", paramLabel = "STATUS",
                description = "which items: failed, expired, uncertain (comma-separated)")
        private List<String> statuses;

        @Override
        public Integer call() throws Exception {
            return cli.withStore(spec, ops -> ops.retry(batch, BatchOperations.retryStates(statuses)));
        }
    }
}

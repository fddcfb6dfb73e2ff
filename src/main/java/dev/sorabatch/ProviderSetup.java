package dev.sorabatch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.apache.camel.CamelContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;

import dev.sorabatch.aws.AwsClients;
import dev.sorabatch.catalog.CatalogSettings;
import dev.sorabatch.catalog.ModelCatalog;
import dev.sorabatch.provider.ProviderLimits;
import dev.sorabatch.provider.ProviderRegistry;
import dev.sorabatch.provider.VideoProvider;
import dev.sorabatch.provider.bedrock.BedrockSettings;
import dev.sorabatch.provider.bedrock.BedrockVideoProvider;
import dev.sorabatch.provider.fal.FalSettings;
import dev.sorabatch.provider.fal.FalVideoProvider;
import dev.sorabatch.provider.openai.OpenAiSettings;
import dev.sorabatch.provider.openai.OpenAiVideoProvider;
import dev.sorabatch.provider.pixazo.PixazoSettings;
import dev.sorabatch.provider.pixazo.PixazoVideoProvider;
import dev.sorabatch.provider.replicate.ReplicateSettings;
import dev.sorabatch.provider.replicate.ReplicateVideoProvider;
import dev.sorabatch.provider.runway.RunwaySettings;
import dev.sorabatch.provider.runway.RunwayVideoProvider;
import dev.sorabatch.provider.vertex.VertexSettings;
import dev.sorabatch.provider.vertex.VertexVideoProvider;
import dev.sorabatch.settings.SettingException;
import dev.sorabatch.settings.Settings;
import dev.sorabatch.simulator.SimulatorApi;
import dev.sorabatch.simulator.SimulatorServer;
import dev.sorabatch.simulator.SimulatorSettings;

/**
 * {@code sora.provider} (the default provider) and {@code sora.providers} (further providers rows may name), each
 * {@code openai}, {@code runway}, {@code fal}, {@code replicate}, {@code vertex}, {@code bedrock}, {@code pixazo} or
 * {@code simulator-<face>} (the built-in simulator speaking that provider's wire format; {@code simulator} is
 * {@code simulator-${sora.simulator.api}}). Every setting of every named provider is read and checked here, before
 * anything starts; the simulator, when one is named, is started only when the adapters are made, and what the
 * simulated cloud providers need besides (Vertex's credentials file, Bedrock's S3 store) is made or checked then.
 */
record ProviderSetup(String batchProvider, List<Choice> choices, ModelCatalog catalog, Settings settings) {

    static final List<String> REAL = List.of("openai", "runway", "fal", "replicate", "vertex", "bedrock", "pixazo");
    private static final String SIMULATOR = "simulator";
    /** The version of Runway's API whose wire format the simulator speaks. */
    private static final String RUNWAY_VERSION = "2024-11-06";

    /** One provider: its name in rows and the catalogue, whether the simulator plays it, its limits and key hint. */
    record Choice(String name, boolean simulated, ProviderLimits limits, String credentialsHint, Object adapterSettings) {
    }

    static ProviderSetup from(Settings s, ProviderLimits global) {
        ModelCatalog catalog = CatalogSettings.catalog(s);
        String first = s.text("sora.provider").strip();
        Set<String> named = new LinkedHashSet<>();
        named.add(first);
        named.addAll(s.list("sora.providers"));
        List<Choice> choices = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (String given : named) {
            String key = given.equals(first) ? "sora.provider" : "sora.providers";
            Choice choice = choice(s, key, given.strip(), global);
            if (!names.add(choice.name())) {
                throw new SettingException(key, "names " + choice.name() + " twice (once as the simulator's face)");
            }
            choices.add(choice);
        }
        return new ProviderSetup(first, choices, catalog, s);
    }

    /** The provider of rows that name none. */
    String defaultName() {
        return choices.get(0).name();
    }

    Set<String> names() {
        Set<String> names = new LinkedHashSet<>();
        choices.forEach(c -> names.add(c.name()));
        return names;
    }

    Map<String, String> credentialsHints() {
        Map<String, String> hints = new LinkedHashMap<>();
        choices.forEach(c -> hints.put(c.name(), c.credentialsHint()));
        return hints;
    }

    /**
     * The adapters, over the simulator (started now, on loopback) where it plays the provider.
     *
     * @param callbackUrl per provider, the URL its creates name for callbacks, or null
     */
    ProviderRegistry registry(CamelContext camel, Function<String, String> callbackUrl) throws Exception {
        SimulatorServer server = null;
        if (choices.stream().anyMatch(Choice::simulated)) {
            SimulatorSettings knobs = SimulatorSettings.from(settings);
            if (choices.stream().anyMatch(c -> c.simulated() && c.name().equals(BedrockVideoProvider.NAME))) {
                knobs.s3Endpoint(simulatedBedrockStore(AwsClients.from(settings)));
            }
            server = new SimulatorServer(SimulatorSettings.port(settings), knobs).start();
            SimulatorServer started = server;
            camel.addService(PipelineConfiguration.closing(started::close));
            camel.getRegistry().bind("simulator", server);
        }
        List<ProviderRegistry.Entry> entries = new ArrayList<>();
        for (Choice c : choices) {
            entries.add(new ProviderRegistry.Entry(c.name(), adapter(camel, c, server, callbackUrl.apply(c.name())),
                    c.limits(), c.credentialsHint()));
        }
        ProviderRegistry registry = new ProviderRegistry(entries);
        camel.getRegistry().bind("providers", registry);
        return registry;
    }

    private VideoProvider adapter(CamelContext camel, Choice c, SimulatorServer server, String callbackUrl)
            throws Exception {
        if (c.simulated()) {
            String key = settings.text("sora.simulator.api-key", "");
            key = key.isEmpty() ? SIMULATOR : key;
            String url = server.baseUrl(SimulatorApi.of(c.name()));
            return switch (c.name()) {
                case "openai" -> new OpenAiVideoProvider(camel, OpenAiSettings.simulator(url, key,
                        settings.map("sora.openai.model-map")));
                case "runway" -> new RunwayVideoProvider(camel, new RunwaySettings(url, key,
                        settings.text("sora.runway.api-version", RUNWAY_VERSION)), catalog);
                case "fal" -> new FalVideoProvider(camel, new FalSettings(url, key), catalog, callbackUrl);
                case "replicate" -> new ReplicateVideoProvider(camel, new ReplicateSettings(url, key), catalog,
                        callbackUrl);
                case "vertex" -> new VertexVideoProvider(camel, VertexSettings.from(settings.with(Map.of(
                        "sora.vertex.project", settings.text("sora.vertex.project", "").isBlank() ? SIMULATOR
                                : settings.text("sora.vertex.project").strip(),
                        "sora.vertex.base-url", url, "sora.vertex.storage-url", url, "sora.vertex.credentials-file",
                        credentialsFile(camel, SimulatorServer.vertexCredentials(url, key)).toString()))), catalog);
                // the face checks only the access key id, as the key
                case "bedrock" -> bedrock(camel, BedrockSettings.from(settings.with(Map.of("sora.bedrock.endpoint",
                        url))), StaticCredentialsProvider.create(AwsBasicCredentials.create(key, SIMULATOR)));
                default -> new PixazoVideoProvider(camel, new PixazoSettings(url, key,
                        PixazoSettings.modelPaths(settings)), catalog, callbackUrl);
            };
        }
        return switch (c.name()) {
            case "openai" -> new OpenAiVideoProvider(camel, (OpenAiSettings) c.adapterSettings());
            case "runway" -> new RunwayVideoProvider(camel, (RunwaySettings) c.adapterSettings(), catalog);
            case "fal" -> new FalVideoProvider(camel, (FalSettings) c.adapterSettings(), catalog, callbackUrl);
            case "replicate" -> new ReplicateVideoProvider(camel, (ReplicateSettings) c.adapterSettings(), catalog,
                    callbackUrl);
            case "vertex" -> new VertexVideoProvider(camel, (VertexSettings) c.adapterSettings(), catalog);
            case "bedrock" -> bedrock(camel, (BedrockSettings) c.adapterSettings(),
                    DefaultCredentialsProvider.builder().build());
            default -> new PixazoVideoProvider(camel, (PixazoSettings) c.adapterSettings(), catalog, callbackUrl);
        };
    }

    /**
     * Bedrock's adapter, reading the bucket of {@code sora.bedrock.output-uri} with an S3 client of the pipeline's
     * store ({@code sora.aws.s3.*}) in Bedrock's region, closed with the context.
     */
    private BedrockVideoProvider bedrock(CamelContext camel, BedrockSettings bedrock,
                                         AwsCredentialsProvider credentials) throws Exception {
        S3Client s3 = AwsClients.from(settings).s3(bedrock.region());
        camel.addService(PipelineConfiguration.closing(s3::close));
        return new BedrockVideoProvider(bedrock, catalog, credentials, s3);
    }

    /**
     * The simulated Bedrock writes its videos where the pipeline reads them: the S3-compatible store of
     * {@code sora.aws.s3.endpoint} (it signs as nobody, so AWS itself will not do).
     */
    private static String simulatedBedrockStore(AwsClients aws) {
        if (aws.s3Endpoint().isBlank()) {
            throw new SettingException("sora.aws.s3.endpoint", "is empty: simulator-bedrock writes its videos into "
                    + "the bucket of sora.bedrock.output-uri on an S3-compatible store (path-style); name its endpoint");
        }
        return aws.s3Endpoint();
    }

    /** A credentials file in a temporary folder of its own (never the user's folders), removed when the run ends. */
    private static Path credentialsFile(CamelContext camel, String json) {
        try {
            Path dir = Files.createTempDirectory("sora-simulator");
            Path file = dir.resolve("vertex-credentials.json");
            Files.writeString(file, json);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the temporary folder's own protection applies
            }
            camel.addService(PipelineConfiguration.closing(() -> {
                try {
                    Files.deleteIfExists(file);
                    Files.deleteIfExists(dir);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }));
            return file;
        } catch (Exception e) {
            throw new IllegalStateException("cannot write the simulated Vertex AI credentials file: " + e, e);
        }
    }

    private static Choice choice(Settings s, String key, String given, ProviderLimits global) {
        boolean simulated = given.equals(SIMULATOR) || given.startsWith(SIMULATOR + "-");
        String name = !simulated ? given
                : given.equals(SIMULATOR) ? s.text("sora.simulator.api", "openai").strip()
                : given.substring(SIMULATOR.length() + 1);
        if (!REAL.contains(name)) {
            throw new SettingException(simulated && given.equals(SIMULATOR) ? "sora.simulator.api" : key,
                    "must be " + (simulated ? "simulator-" : "") + "one of " + String.join(", ", REAL) + ", got '"
                            + given + "'");
        }
        ProviderLimits limits = ProviderLimits.from(s, name, global);
        if (simulated) {
            // the simulator needs no key of the vendor's
            return new Choice(name, true, limits, "sora.simulator.api-key", null);
        }
        return switch (name) {
            case "openai" -> new Choice(name, false, limits, "OPENAI_API_KEY / sora.openai.api-key", OpenAiSettings.from(s));
            case "runway" -> new Choice(name, false, limits, "RUNWAYML_API_SECRET / sora.runway.api-key",
                    RunwaySettings.from(s));
            case "fal" -> new Choice(name, false, limits, "FAL_KEY / sora.fal.api-key", FalSettings.from(s));
            case "replicate" -> new Choice(name, false, limits, "REPLICATE_API_TOKEN / sora.replicate.api-token",
                    ReplicateSettings.from(s));
            case "vertex" -> new Choice(name, false, limits,
                    "GOOGLE_APPLICATION_CREDENTIALS / sora.vertex.credentials-file", VertexSettings.from(s));
            case "bedrock" -> new Choice(name, false, limits,
                    "the AWS default credential chain (AWS_ACCESS_KEY_ID, AWS_PROFILE or a role)", BedrockSettings.from(s));
            default -> new Choice(name, false, limits, "PIXAZO_API_KEY / sora.pixazo.api-key", PixazoSettings.from(s));
        };
    }

}

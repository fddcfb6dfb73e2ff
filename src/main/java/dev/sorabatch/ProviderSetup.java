package dev.sorabatch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.apache.camel.CamelContext;

import dev.sorabatch.catalog.CatalogSettings;
import dev.sorabatch.catalog.ModelCatalog;
import dev.sorabatch.provider.ProviderLimits;
import dev.sorabatch.provider.ProviderRegistry;
import dev.sorabatch.provider.VideoProvider;
import dev.sorabatch.provider.fal.FalSettings;
import dev.sorabatch.provider.fal.FalVideoProvider;
import dev.sorabatch.provider.openai.OpenAiSettings;
import dev.sorabatch.provider.openai.OpenAiVideoProvider;
import dev.sorabatch.provider.replicate.ReplicateSettings;
import dev.sorabatch.provider.replicate.ReplicateVideoProvider;
import dev.sorabatch.provider.runway.RunwaySettings;
import dev.sorabatch.provider.runway.RunwayVideoProvider;
import dev.sorabatch.settings.SettingException;
import dev.sorabatch.settings.Settings;
import dev.sorabatch.simulator.SimulatorApi;
import dev.sorabatch.simulator.SimulatorServer;
import dev.sorabatch.simulator.SimulatorSettings;

/**
 * {@code sora.provider} (the default provider) and {@code sora.providers} (further providers rows may name), each
 * {@code openai}, {@code runway}, {@code fal}, {@code replicate} or {@code simulator-<face>} (the built-in
 * simulator speaking that provider's wire format; {@code simulator} is {@code simulator-${sora.simulator.api}}).
 * Every setting of every named provider is read and checked here, before anything starts; the simulator, when one
 * is named, is started only when the adapters are made.
 */
record ProviderSetup(String batchProvider, List<Choice> choices, ModelCatalog catalog, Settings settings) {

    static final List<String> REAL = List.of("openai", "runway", "fal", "replicate");
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
            server = new SimulatorServer(SimulatorSettings.port(settings), SimulatorSettings.from(settings)).start();
            SimulatorServer started = server;
            camel.addService(PipelineConfiguration.closing(started::close));
            camel.getRegistry().bind("simulator", server);
        }
        List<ProviderRegistry.Entry> entries = new ArrayList<>();
        for (Choice c : choices) {
            entries.add(new ProviderRegistry.Entry(c.name(), adapter(camel, c, server, callbackUrl.apply(c.name())),
                    c.limits(), c.credentialsHint()));
        }
        return new ProviderRegistry(entries);
    }

    private VideoProvider adapter(CamelContext camel, Choice c, SimulatorServer server, String callbackUrl) {
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
                default -> new ReplicateVideoProvider(camel, new ReplicateSettings(url, key), catalog, callbackUrl);
            };
        }
        return switch (c.name()) {
            case "openai" -> new OpenAiVideoProvider(camel, (OpenAiSettings) c.adapterSettings());
            case "runway" -> new RunwayVideoProvider(camel, (RunwaySettings) c.adapterSettings(), catalog);
            case "fal" -> new FalVideoProvider(camel, (FalSettings) c.adapterSettings(), catalog, callbackUrl);
            default -> new ReplicateVideoProvider(camel, (ReplicateSettings) c.adapterSettings(), catalog,
                    callbackUrl);
        };
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
            default -> new Choice(name, false, limits, "REPLICATE_API_TOKEN / sora.replicate.api-token",
                    ReplicateSettings.from(s));
        };
    }

}

package dev.sorabatch.ingest;

import java.util.LinkedHashSet;
import java.util.Set;

import dev.sorabatch.catalog.ModelCatalog;
import dev.sorabatch.provider.ProviderRegistry;

/**
 * The providers a row may name in its {@code provider} field, and the catalogue their models are checked against.
 * OpenAI rows keep the rules of {@link ValidationRules} (they also cover deployments named in
 * {@code sora.openai.model-map}); rows for any other provider are checked by {@link ModelCatalog#check}.
 *
 * @param defaultProvider the provider of rows that name none (the run's {@code sora.provider})
 * @param enabled         every provider rows may name: the default and those in {@code sora.providers}
 */
public record RowProviders(String defaultProvider, Set<String> enabled, ModelCatalog catalog) {

    public static final String OPENAI = ProviderRegistry.OPENAI;

    public RowProviders {
        Set<String> all = new LinkedHashSet<>();
        all.add(defaultProvider);
        all.addAll(enabled);
        enabled = Set.copyOf(all);
    }

    /** Only OpenAI (the simulator's default face or the real service), as before rows could name a provider. */
    public static RowProviders openAiOnly() {
        return new RowProviders(OPENAI, Set.of(), Holder.BUILT_IN);
    }

    /** Whether a row for {@code provider} is checked by the catalogue rather than by {@link ValidationRules}. */
    boolean catalogued(String provider) {
        return !OPENAI.equals(provider);
    }

    private static final class Holder {
        static final ModelCatalog BUILT_IN = ModelCatalog.builtIn();
    }
}

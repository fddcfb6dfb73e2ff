package dev.sorabatch.provider;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The providers of this run by the name rows and items use (the catalogue's: {@code openai}, {@code runway}, …),
 * each with its adapter and its own limits; the first is the default, for rows that name none.
 */
public final class ProviderRegistry {

    /** OpenAI's name, the provider of runs (and of items) that name none. */
    public static final String OPENAI = "openai";

    /** One provider of the run. */
    public record Entry(String name, VideoProvider adapter, ProviderLimits limits, String credentialsHint) {
    }

    private final Map<String, Entry> entries;

    public ProviderRegistry(List<Entry> entries) {
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("no provider");
        }
        Map<String, Entry> byName = new LinkedHashMap<>();
        for (Entry e : entries) {
            if (byName.putIfAbsent(e.name(), e) != null) {
                throw new IllegalArgumentException("provider " + e.name() + " named twice");
            }
        }
        this.entries = byName;
    }

    /** A run with OpenAI's adapter (or the simulator's OpenAI face) alone, its limits those given. */
    public static ProviderRegistry single(VideoProvider adapter, ProviderLimits limits) {
        return of(OPENAI, adapter, limits);
    }

    /** A run with a single provider. */
    public static ProviderRegistry of(String name, VideoProvider adapter, ProviderLimits limits) {
        return new ProviderRegistry(List.of(new Entry(name, adapter, limits, "")));
    }

    public String defaultName() {
        return entries.keySet().iterator().next();
    }

    public List<Entry> entries() {
        return List.copyOf(entries.values());
    }

    /** @throws IllegalStateException for a provider this run has not enabled (ingest rejects such rows) */
    public Entry entry(String name) {
        Entry e = entries.get(name);
        if (e == null) {
            throw new IllegalStateException("provider " + name + " is not enabled in this run (enabled: "
                    + String.join(", ", entries.keySet()) + ")");
        }
        return e;
    }

    public VideoProvider adapter(String name) {
        return entry(name).adapter();
    }
}

package dev.sorabatch.worker;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sorabatch.provider.ProviderException;

/**
 * Closed for a while, per provider, once that provider refuses the credentials: no call to it can succeed then, so
 * its items are left alone instead of earning more refusals, and the workers skip their ticks while every provider
 * is closed ({@link PausePolicy}). Whoever must know (once mode ends the run) listens with {@link #onRefused}.
 */
public final class ProviderGate {

    private static final Logger LOG = LoggerFactory.getLogger(ProviderGate.class);
    static final long PAUSE_MILLIS = 60_000;
    /** The key of every provider when no provider is named (a gate made without hints). */
    private static final String ANY = "";

    private final Clock clock;
    private final Map<String, String> hints;
    private final List<Consumer<ProviderException>> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, Long> closedUntil = new ConcurrentHashMap<>();

    public ProviderGate(Clock clock) {
        this(clock, Map.of());
    }

    /**
     * @param hints every provider of the run, with where its credentials are set (e.g.
     *              {@code RUNWAYML_API_SECRET / sora.runway.api-key})
     */
    public ProviderGate(Clock clock, Map<String, String> hints) {
        this.clock = clock;
        this.hints = Map.copyOf(hints);
    }

    /** Whether some provider may be called. */
    public boolean open() {
        return hints.isEmpty() ? open(null) : hints.keySet().stream().anyMatch(this::open);
    }

    /** Whether {@code provider} may be called. */
    public boolean open(String provider) {
        return clock.millis() >= closedUntil.getOrDefault(key(provider), 0L);
    }

    /** A provider of a single-provider run refused the credentials. */
    public void refused(ProviderException e) {
        refused(null, e);
    }

    /** {@code provider} refused the credentials. */
    public void refused(String provider, ProviderException e) {
        String key = key(provider);
        if (open(provider)) {
            String hint = hints.getOrDefault(key, "OPENAI_API_KEY / sora.openai.api-key");
            LOG.error("{} refused the credentials ({}); check {}. Calls to it pause for {} s",
                    provider == null ? "The provider" : provider, e.getMessage(), hint, PAUSE_MILLIS / 1000);
        }
        closedUntil.put(key, clock.millis() + PAUSE_MILLIS);
        listeners.forEach(listener -> listener.accept(e));
    }

    public void onRefused(Consumer<ProviderException> listener) {
        listeners.add(listener);
    }

    private String key(String provider) {
        return provider == null || hints.isEmpty() ? ANY : provider;
    }
}

package dev.sorabatch.worker;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sorabatch.provider.ProviderException;

/**
 * Closed for a while once the provider refuses the credentials: no call can succeed then, so the workers that call
 * the provider skip their ticks ({@link PausePolicy}) instead of earning more refusals. Whoever must know (once
 * mode ends the run) listens with {@link #onRefused}.
 */
public final class ProviderGate {

    private static final Logger LOG = LoggerFactory.getLogger(ProviderGate.class);
    static final long PAUSE_MILLIS = 60_000;

    private final Clock clock;
    private final List<Consumer<ProviderException>> listeners = new CopyOnWriteArrayList<>();
    private volatile long closedUntil;

    public ProviderGate(Clock clock) {
        this.clock = clock;
    }

    public boolean open() {
        return clock.millis() >= closedUntil;
    }

    /** The provider refused the credentials. */
    public void refused(ProviderException e) {
        if (open()) {
            LOG.error("The provider refused the credentials ({}); check OPENAI_API_KEY / sora.openai.api-key. "
                    + "Provider calls pause for {} s", e.getMessage(), PAUSE_MILLIS / 1000);
        }
        closedUntil = clock.millis() + PAUSE_MILLIS;
        listeners.forEach(listener -> listener.accept(e));
    }

    public void onRefused(Consumer<ProviderException> listener) {
        listeners.add(listener);
    }
}

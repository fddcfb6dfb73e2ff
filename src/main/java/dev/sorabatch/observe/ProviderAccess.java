package dev.sorabatch.observe;

import java.time.Clock;

import dev.sorabatch.provider.ProviderException;
import dev.sorabatch.provider.VideoProvider;
import dev.sorabatch.worker.ProviderGate;

/**
 * Whether the provider accepts the credentials, for readiness: refused while the workers are paused on refused
 * credentials, else the provider's own answer to {@link VideoProvider#verifyAccess}, asked at most once a minute (a
 * probe every few seconds must not become provider traffic).
 */
public final class ProviderAccess implements ReadinessCheck.Probe {

    static final long ASK_EVERY_MILLIS = 60_000;

    private final VideoProvider provider;
    private final ProviderGate gate;
    private final Clock clock;
    private volatile long verifiedAt = Long.MIN_VALUE;

    public ProviderAccess(VideoProvider provider, ProviderGate gate, Clock clock) {
        this.provider = provider;
        this.gate = gate;
        this.clock = clock;
    }

    @Override
    public void probe() throws ProviderException {
        if (!gate.open()) {
            throw new IllegalStateException("the provider refused the credentials; provider calls are paused");
        }
        long now = clock.millis();
        if (verifiedAt == Long.MIN_VALUE || now - verifiedAt >= ASK_EVERY_MILLIS) {
            provider.verifyAccess();
            verifiedAt = now;
        }
    }
}

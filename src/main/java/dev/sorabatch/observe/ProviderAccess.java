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

    private final String name;
    private final VideoProvider provider;
    private final ProviderGate gate;
    private final Clock clock;
    private volatile long verifiedAt = Long.MIN_VALUE;

    public ProviderAccess(String name, VideoProvider provider, ProviderGate gate, Clock clock) {
        this.name = name;
        this.provider = provider;
        this.gate = gate;
        this.clock = clock;
    }

    @Override
    public void probe() throws ProviderException {
        if (!gate.open(name)) {
            throw new IllegalStateException(name + " refused the credentials; calls to it are paused");
        }
        long now = clock.millis();
        if (verifiedAt == Long.MIN_VALUE || now - verifiedAt >= ASK_EVERY_MILLIS) {
            provider.verifyAccess();
            verifiedAt = now;
        }
    }
}

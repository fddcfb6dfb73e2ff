package dev.sorabatch.worker;

import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.support.RoutePolicySupport;

/**
 * Skips a worker route's tick while the {@link ProviderGate} is closed: nothing is claimed, nothing is called. A
 * worker that never calls the provider (the finalizer) runs on every tick ({@link #never}).
 */
public final class PausePolicy extends RoutePolicySupport {

    private final ProviderGate gate;

    public PausePolicy(ProviderGate gate) {
        this.gate = gate;
    }

    /** A policy that never pauses. */
    public static PausePolicy never() {
        return new PausePolicy(null);
    }

    @Override
    public void onExchangeBegin(Route route, Exchange exchange) {
        if (gate != null && !gate.open()) {
            exchange.setRouteStop(true);
        }
    }
}

package dev.sorabatch.webhook;

import java.util.Set;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code sora.webhook.callbacks{provider,outcome}}: every callback, counted by what became of it. Each known
 * provider's outcomes are registered at start, so they are scraped as 0 before they first count; a callback for a
 * path no provider has is counted under {@code provider="unknown"}, never under the name it gave.
 */
final class WebhookMeters {

    static final String UNKNOWN = "unknown";

    private final MeterRegistry registry;

    WebhookMeters(MeterRegistry registry, Set<String> providers) {
        this.registry = registry;
        for (String provider : providers) {
            for (Outcome outcome : Outcome.values()) {
                if (outcome != Outcome.UNKNOWN_PROVIDER) {
                    counter(provider, outcome);
                }
            }
        }
        counter(UNKNOWN, Outcome.UNKNOWN_PROVIDER);
    }

    void count(String provider, Outcome outcome) {
        counter(provider, outcome).increment();
    }

    private Counter counter(String provider, Outcome outcome) {
        return Counter.builder("sora.webhook.callbacks").description("Provider callbacks received, by outcome")
                .tag("provider", provider).tag("outcome", outcome.label()).register(registry);
    }
}

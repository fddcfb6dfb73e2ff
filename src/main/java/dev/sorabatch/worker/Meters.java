package dev.sorabatch.worker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The workers' counters of provider calls, shown at {@code /observe/metrics}: creates sent, status calls, 429 answers
 * and calls to be tried again. Each is registered at start, so it is scraped as 0 before it first counts.
 */
public final class Meters {

    private final Counter creates;
    private final Counter statusCalls;
    private final Counter throttled;
    private final MeterRegistry registry;
    private final String provider;

    public Meters(MeterRegistry registry, String provider) {
        this.registry = registry;
        this.provider = provider;
        this.creates = Counter.builder("sora.provider.creates").description("Create calls sent to the provider (billable)")
                .tag("provider", provider).register(registry);
        this.statusCalls = Counter.builder("sora.provider.status.calls").description("Status calls to the provider")
                .tag("provider", provider).register(registry);
        this.throttled = Counter.builder("sora.provider.throttled").description("Calls the provider answered with 429")
                .tag("provider", provider).register(registry);
        for (String call : new String[] {"create", "status", "download"}) {
            retry(call, 0);
        }
    }

    /** Counted nowhere but in memory: for a worker outside the pipeline (tests). */
    public static Meters unexposed(String provider) {
        return new Meters(new SimpleMeterRegistry(), provider);
    }

    public void created() {
        creates.increment();
    }

    public void statusCalled() {
        statusCalls.increment();
    }

    void throttled() {
        throttled.increment();
    }

    /** A failed call of this kind ({@code create}, {@code status}, {@code download}) is to be tried again. */
    void retry(String call) {
        retry(call, 1);
    }

    private void retry(String call, int n) {
        Counter.builder("sora.retries").description("Failed provider or storage calls scheduled to be tried again")
                .tag("provider", provider).tag("call", call).register(registry).increment(n);
    }
}

package dev.sorabatch.observe;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.Exchange;

import dev.sorabatch.manifest.CostEstimate;
import dev.sorabatch.store.ItemState;
import dev.sorabatch.store.JobStore;
import dev.sorabatch.store.StoredClips;
import dev.sorabatch.store.Totals;

/**
 * {@code /observe/metrics}: the pipeline's meters in Prometheus' text format. What the store knows (items per
 * provider and state, bytes and seconds stored, estimated spend, jobs in flight) is read from it once per scrape, so
 * every instance on a shared store shows the same figures, as does the learned concurrency ceiling (the provider
 * account's in the store); the counters of calls ({@link dev.sorabatch.worker.Meters}) are this instance's own.
 */
public final class DomainMeters {

    /** One reading of the store, taken at a scrape. */
    private record Reading(List<Totals.StateCount> items, long bytes, long seconds, double usd, long inFlight) {
    }

    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;
    private final JobStore store;
    private final CostEstimate cost;
    private final String provider;
    private final MultiGauge items;
    private final AtomicReference<Reading> last = new AtomicReference<>(new Reading(List.of(), 0, 0, 0, 0));

    /**
     * @param provider the provider whose items are shown as 0 in every state before it has any
     * @param ceiling  the concurrency ceiling the submit worker has learned
     */
    public DomainMeters(PrometheusMeterRegistry registry, JobStore store, CostEstimate cost, String provider,
                        IntSupplier ceiling) {
        this.registry = registry;
        this.store = store;
        this.cost = cost;
        this.provider = provider;
        this.items = MultiGauge.builder("sora.items").description("Items in the job store per provider and state")
                .register(registry);
        show(List.of());
        gauge("sora.stored.bytes", "Bytes of video stored", r -> r.bytes);
        gauge("sora.generated.seconds", "Seconds of video generated and stored", r -> r.seconds);
        gauge("sora.estimated.spend.usd", "Estimated spend on stored video, from sora.cost.usd-per-second", r -> r.usd);
        gauge("sora.jobs.in.flight", "Jobs at the provider: being created or generated", r -> r.inFlight);
        Gauge.builder("sora.concurrency.ceiling", ceiling, IntSupplier::getAsInt)
                .description("Jobs the provider accepts at once, as learned from its answers").strongReference(true)
                .register(registry);
    }

    /** Reads the store, then renders every meter, in Prometheus' text format 0.0.4. */
    public String scrape(Exchange exchange) throws SQLException {
        long bytes = 0;
        long seconds = 0;
        List<StoredClips> clips = new ArrayList<>();
        for (Totals.Stored s : store.totals().stored()) {
            bytes += s.bytes();
            seconds += s.clips().seconds();
            clips.add(s.clips());
        }
        List<Totals.StateCount> counts = store.totals().itemsByProviderAndState();
        last.set(new Reading(counts, bytes, seconds, cost.usd(clips).doubleValue(),
                store.claims().countInFlight()));
        show(counts);
        return HttpAnswer.text(exchange, 200, PROMETHEUS_TEXT, registry.scrape(PROMETHEUS_TEXT));
    }

    /** Every state of the configured provider and of every provider in the store, 0 where it has no items now. */
    private void show(List<Totals.StateCount> counts) {
        Map<String, Map<ItemState, Long>> byProvider = new LinkedHashMap<>();
        byProvider.put(provider, new LinkedHashMap<>());
        for (Totals.StateCount c : counts) {
            byProvider.computeIfAbsent(c.provider(), p -> new LinkedHashMap<>()).merge(c.state(), c.items(), Long::sum);
        }
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        byProvider.forEach((provider, states) -> {
            for (ItemState state : ItemState.values()) {
                long n = states.getOrDefault(state, 0L);
                rows.add(MultiGauge.Row.of(Tags.of("provider", provider, "state", state.name().toLowerCase(Locale.ROOT)), n));
            }
        });
        items.register(rows, true);
    }

    private void gauge(String name, String description, java.util.function.ToDoubleFunction<Reading> value) {
        Gauge.builder(name, last, r -> value.applyAsDouble(r.get())).description(description).strongReference(true)
                .register(registry);
    }
}

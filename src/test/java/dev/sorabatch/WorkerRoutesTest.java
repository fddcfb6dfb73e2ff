package dev.sorabatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.Route;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.sorabatch.provider.ProviderError;
import dev.sorabatch.provider.ProviderException;
import dev.sorabatch.worker.PausePolicy;
import dev.sorabatch.worker.ProviderGate;
import dev.sorabatch.worker.Worker;

/**
 * routes/workers.yaml as packaged, on a Camel context of its own: one route template, one route per worker, the
 * pause on refused credentials as a route policy, and the routeConfiguration's rules for what fails.
 */
class WorkerRoutesTest extends CamelTestSupport {

    private static final List<String> WORKERS = List.of("submitWorker", "reconciler", "pollWorker", "fetchWorker",
            "finalizer");

    private final ManualClock clock = new ManualClock(1_000_000);
    private final ProviderGate gate = new ProviderGate(clock);
    private final ConcurrentHashMap<String, Ticks> workers = new ConcurrentHashMap<>();
    private final LogCapture log = new LogCapture();

    /** A worker that claims the same three elements on every tick and records each one it is given. */
    static final class Ticks implements Worker<String> {
        final AtomicInteger claims = new AtomicInteger();
        final Set<String> worked = ConcurrentHashMap.newKeySet();
        volatile Exception claimFails;
        volatile RuntimeException workFails;

        @Override
        public List<String> claim() throws Exception {
            claims.incrementAndGet();
            if (claimFails != null) {
                throw claimFails;
            }
            return List.of("a", "b", "c");
        }

        @Override
        public void work(String claimed) {
            if (workFails != null) {
                throw workFails;
            }
            worked.add(claimed + "@" + Thread.currentThread().getName());
        }
    }

    @Override
    public void configureContext(CamelContextConfiguration configuration) {
        super.configureContext(configuration);
        Properties fast = new Properties();
        for (String period : List.of("sora.workers.period", "sora.workers.reconcile-period",
                "sora.workers.finalize-period")) {
            fast.setProperty(period, "20");
        }
        configuration.withUseOverridePropertiesWithPropertiesComponent(fast);
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        WORKERS.forEach(name -> registry.bind(name, workers.computeIfAbsent(name, n -> new Ticks())));
        registry.bind("pauseOnRefusedCredentials", new PausePolicy(gate));
        registry.bind("everyTick", PausePolicy.never());
        // Camel's own pool, shut down with the context
        ExecutorService calls = context.getExecutorServiceManager().newFixedThreadPool(this, "calls", 2);
        registry.bind("providerCalls", calls);
        registry.bind("downloads", calls);
    }

    @Override
    protected void doPostSetup() throws Exception {
        PluginHelper.getRoutesLoader(context).loadRoutes(
                PluginHelper.getResourceLoader(context).resolveResource("classpath:routes/workers.yaml"));
    }

    @AfterEach
    void close() {
        log.close();
    }

    @Test
    void everyWorkerIsTheOneTemplateUnderItsOwnRouteId() {
        assertThat(context.getRoutes()).extracting(Route::getRouteId).containsExactlyInAnyOrder(
                "submit-pending-items", "reconcile-unknown-creates", "poll-submitted-jobs", "fetch-completed-videos",
                "finalize-batches");
        assertThat(context.getCamelContextExtension().getContextPlugin(Model.class).getRouteTemplateDefinitions())
                .extracting(RouteTemplateDefinition::getId).containsExactly("worker");
        assertThat(context.getRoutes()).allSatisfy(route -> assertThat(route.getProperties())
                .containsEntry(Route.TEMPLATE_PROPERTY, "true").containsEntry("configurationId", "worker-errors"));
        // each claimed element is worked on its own, on the named pool
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> WORKERS.forEach(name ->
                assertThat(workers.get(name).worked).anySatisfy(w -> assertThat(w).startsWith("a@").endsWith("- calls"))
                        .anySatisfy(w -> assertThat(w).startsWith("b@")).anySatisfy(w -> assertThat(w).startsWith("c@"))));
    }

    @Test
    void whileTheCredentialsAreRefusedTheProviderWorkersSkipTheirTicksAndTheFinalizerDoesNot() {
        await().atMost(Duration.ofSeconds(10)).until(() -> workers.get("submitWorker").claims.get() > 0);
        gate.refused(new ProviderException(ProviderException.Kind.AUTH, 401,
                new ProviderError("invalid_api_key", "refused"), null, null));
        await().atMost(Duration.ofSeconds(5)).until(() -> workers.get("finalizer").claims.get() > 0);
        int[] before = WORKERS.stream().mapToInt(name -> workers.get(name).claims.get()).toArray();

        int finalizerBefore = before[WORKERS.indexOf("finalizer")];
        await().atMost(Duration.ofSeconds(10)).until(() -> workers.get("finalizer").claims.get() >= finalizerBefore + 5);
        for (String name : WORKERS.subList(0, 4)) {
            // one tick may have begun before the gate closed
            assertThat(workers.get(name).claims.get()).as(name).isLessThanOrEqualTo(before[WORKERS.indexOf(name)] + 1);
        }

        clock.millis.addAndGet(Duration.ofMinutes(1).toMillis()); // the pause is over
        await().atMost(Duration.ofSeconds(10)).until(() -> workers.get("submitWorker").claims.get()
                >= before[0] + 5);
    }

    @Test
    void aStoreThatCannotBeReachedIsAWarningAndTheNextTickTriesAgain() {
        Ticks poll = workers.get("pollWorker");
        poll.claimFails = new SQLException("Connection is not available, request timed out");
        await().atMost(Duration.ofSeconds(10)).until(() -> poll.claims.get() >= 3);
        assertThat(log.lines()).anySatisfy(line -> assertThat(line).startsWith(
                "poll-submitted-jobs: the job store is unavailable (Connection is not available"));
        poll.claimFails = null;
        await().atMost(Duration.ofSeconds(10)).until(() -> !poll.worked.isEmpty());
    }

    @Test
    void anyOtherFailureIsLoggedWithItsStackTraceAndNeverSwallowed() {
        Ticks fetch = workers.get("fetchWorker");
        fetch.workFails = new IllegalStateException("disk on fire");
        int claims = fetch.claims.get();
        await().atMost(Duration.ofSeconds(10)).until(() -> log.count("disk on fire") > 0);
        assertThat(log.lines()).filteredOn(line -> line.contains("disk on fire"))
                .anySatisfy(line -> assertThat(line).contains("IllegalStateException").contains("\tat "));
        await().atMost(Duration.ofSeconds(10)).until(() -> fetch.claims.get() > claims + 2); // still ticking
    }
}

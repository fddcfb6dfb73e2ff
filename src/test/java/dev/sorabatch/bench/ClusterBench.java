package dev.sorabatch.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.sorabatch.Cluster;
import dev.sorabatch.simulator.SimulatorServer;
import dev.sorabatch.simulator.SimulatorSettings;
import dev.sorabatch.simulator.SimulatorStats;

/**
 * The {@code cluster} scenario: the rate scenario's batch on a PostgreSQL store (the embedded server of
 * {@link dev.sorabatch.PostgresFixture}), worked by one instance and then by three sharing the store, the input
 * folder and the provider's limit. Both are measured against the same zero-overhead replay ({@link IdealSchedule});
 * three instances must come as close to it as one does, since the provider's rate is the bound, and must together
 * keep to the rate: the busiest sliding minute of create requests sent and of creates accepted is reported.
 */
final class ClusterBench {

    private static final Duration MINUTE = Duration.ofSeconds(60);

    private ClusterBench() {
    }

    static List<Bench.Figures> run(Path jar, Path dir, Bench.Scenario s) throws Exception {
        List<Bench.Figures> figures = new ArrayList<>();
        for (int instances : List.of(1, 3)) {
            figures.add(runOne(jar, dir.resolve(instances + "-instances"), s, instances));
        }
        return figures;
    }

    private static Bench.Figures runOne(Path jar, Path dir, Bench.Scenario s, int instances) throws Exception {
        Bench.deleteTree(dir);
        Files.createDirectories(dir.resolve("data/inbox"));
        SimulatorSettings sim = new SimulatorSettings().blockedWord(null).seed(20261125);
        s.simulator().accept(sim);
        String batch = "bench-" + s.name();
        Path input = dir.resolve(batch + ".csv");
        Bench.writeCsv(input, s.items(), s.kind());
        try (SimulatorServer simulator = new SimulatorServer(0, sim).start()) {
            Map<String, String> settings = Bench.pipelineSettings(simulator, s);
            Bench.StoreTimes t;
            long deadline;
            try (Cluster cluster = Cluster.start(jar, dir, instances, settings, dir.resolve("instance"))) {
                deadline = System.currentTimeMillis() + 180_000;
                while (!cluster.allWatching()) {
                    check(cluster, deadline, "did not start");
                    Thread.sleep(50);
                }
                simulator.stats().reset(); // the start-up credentials checks are not part of the run
                Files.move(input, dir.resolve("data/inbox").resolve(input.getFileName()),
                        StandardCopyOption.ATOMIC_MOVE);
                Path manifest = dir.resolve("data/outbox").resolve(batch).resolve("manifest.json");
                deadline = System.currentTimeMillis() + s.timeoutSeconds() * 1000;
                while (!Files.exists(manifest)) {
                    check(cluster, deadline, "not finished in time");
                    Thread.sleep(20);
                }
                try (Connection c = cluster.connect()) {
                    t = Bench.StoreTimes.read(c);
                }
            }
            return figures(s, instances, simulator.stats(), sim, t);
        }
    }

    private static void check(Cluster cluster, long deadline, String what) {
        if (!cluster.exited().isEmpty() || System.currentTimeMillis() > deadline) {
            throw new IllegalStateException("cluster: " + what + "; see " + cluster.logs());
        }
    }

    private static Bench.Figures figures(Bench.Scenario s, int instances, SimulatorStats stats, SimulatorSettings sim,
                                         Bench.StoreTimes t) {
        List<Long> generation = stats.generationMillis();
        long ideal = IdealSchedule.makespan(generation, sim.createsPerMinute(), sim.createsBurst(), sim.maxInFlight());
        double makespan = (t.lastStored() - t.firstSubmitting()) / 1000.0;
        int jobs = stats.jobsCreated();
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("instances", instances);
        detail.put("store", "PostgreSQL");
        detail.put("provider_creates_per_minute", sim.createsPerMinute());
        detail.put("max_create_requests_in_any_60s", Cluster.maxInWindow(stats.createRequestTimes(), MINUTE));
        detail.put("max_creates_accepted_in_any_60s", Cluster.maxInWindow(stats.createTimes(), MINUTE));
        detail.put("stored", t.stored());
        detail.put("jobs_created", jobs);
        detail.put("items_not_stored", s.items() - t.stored());
        detail.put("duplicated_creates", stats.jobsPerPrompt().values().stream().mapToInt(n -> n - 1).sum());
        return new Bench.Figures(s.name() + "-" + instances, Runtime.getRuntime().availableProcessors(), s.items(),
                Bench.round(makespan, 2), Bench.round(ideal / 1000.0, 2), null, Bench.round(ideal / 1000.0 / makespan, 3),
                jobs == 0 ? null : Bench.round(stats.statusCalls() / (double) jobs, 2), stats.rateLimited(),
                stats.createRequests() - jobs + t.failures(), Bench.round(s.items() / makespan, 1), null, null, null,
                null, null, null, detail);
    }
}

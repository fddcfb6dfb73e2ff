package dev.sorabatch.bench;

import java.nio.file.Path;

/**
 * The {@code faults} scenario: the same batch twice, first with a provider that never fails, then with one that
 * answers 20 % of requests with a 5xx, drops 10 % of connections without an answer and loses 5 % of create answers
 * after the job was made. Figures are those of the run under faults, with the fault-free makespan and the ratio of
 * the two in the detail; lost items and duplicated creates must both be 0.
 */
final class FaultsBench {

    private FaultsBench() {
    }

    static Bench.Figures run(Path jar, Path dir, Bench.Scenario s) throws Exception {
        Bench.Scenario clean = new Bench.Scenario(s.name() + "-baseline", s.title(), s.items(), s.simulator(),
                s.pipeline(), Bench.Kind.BATCH, s.timeoutSeconds());
        Bench.Figures baseline = Bench.runOne(jar, dir.resolve("baseline"), clean);
        Bench.Scenario faulty = new Bench.Scenario(s.name(), s.title(), s.items(),
                s.simulator().andThen(sim -> sim.serverErrorShare(0.2).dropShare(0.1).lostResponseShare(0.05)),
                s.pipeline(), Bench.Kind.BATCH, s.timeoutSeconds());
        Bench.Figures run = Bench.runOne(jar, dir.resolve("faults"), faulty);
        // the zero-overhead replay knows nothing of faults: the baseline run is the reference here
        Bench.Figures f = new Bench.Figures(run.scenario(), run.cores(), run.items(), run.makespanSeconds(), null, null,
                null, run.statusCallsPerJob(), run.rateLimited429(), run.retries(), run.jobsPerSecond(),
                run.cpuSecondsPer1000Jobs(), run.peakHeapMb(), run.liveHeapMb(), null, run.peakRssMb(), null,
                run.detail());
        f.detail().put("baseline_makespan_seconds", baseline.makespanSeconds());
        f.detail().put("makespan_ratio_to_baseline", Math.round(f.makespanSeconds() / baseline.makespanSeconds() * 100) / 100.0);
        System.out.printf("   without faults %.1f s, with faults %.1f s (%.2fx); not stored %s, duplicated creates %s%n",
                baseline.makespanSeconds(), f.makespanSeconds(), f.makespanSeconds() / baseline.makespanSeconds(),
                f.detail().get("items_not_stored"), f.detail().get("duplicated_creates"));
        return f;
    }
}

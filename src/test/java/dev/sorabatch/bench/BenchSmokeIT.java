package dev.sorabatch.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Tiny versions of every benchmark scenario against the packaged jar (about two minutes): keeps the harness working.
 * Figures are only checked for being there and sane; targets are for the full run ({@code bench/run}).
 */
class BenchSmokeIT {

    @Test
    void everyScenarioRunsAndReportsItsFigures() throws Exception {
        Path jar = Path.of(System.getProperty("sora.jar", "target/sora-batch.jar"));
        List<Bench.Figures> results = Bench.run(jar, Path.of("target/bench-smoke").toAbsolutePath(),
                Bench.scenarios(true, List.of()));
        System.out.println(Bench.table(results));
        assertThat(results).extracting(Bench.Figures::scenario)
                .containsExactly("rate", "concurrency", "overhead", "ingest", "stream", "faults", "startup", "claims",
                        "cluster-1", "cluster-3");
        for (Bench.Figures f : results.subList(0, 6)) {
            assertThat(f.peakHeapMb()).as("%s peak heap", f.scenario()).isPositive();
            assertThat(f.peakRssMb()).as("%s peak RSS", f.scenario()).isPositive();
        }
        Bench.Figures rate = results.get(0);
        assertThat(rate.efficiency()).isBetween(0.5, 1.2);
        assertThat(rate.rateLimited429()).as("429s at a rate below the provider's").isZero();
        assertThat(rate.statusCallsPerJob()).isLessThanOrEqualTo(3.0);
        assertThat(results.get(2).jobsPerSecond()).isPositive();
        assertThat(results.get(4).megabytesPerSecond()).isPositive();
        Bench.Figures faults = results.get(5);
        assertThat(faults.detail()).containsEntry("items_not_stored", 0).containsEntry("duplicated_creates", 0)
                .containsKey("makespan_ratio_to_baseline");
        assertThat(results.get(6).makespanSeconds()).as("start-up to the first create").isPositive();
        assertThat(results.get(7).detail()).as("claims").containsEntry("small_batch_items_in_first_10_claims", 5L);
        for (Bench.Figures cluster : results.subList(8, 10)) {
            assertThat(cluster.detail()).as(cluster.scenario()).containsEntry("items_not_stored", 0)
                    .containsEntry("duplicated_creates", 0);
            assertThat((Integer) cluster.detail().get("max_create_requests_in_any_60s")).as(cluster.scenario())
                    .isLessThanOrEqualTo(300);
            assertThat(cluster.efficiency()).as(cluster.scenario()).isBetween(0.3, 1.2);
        }
    }
}

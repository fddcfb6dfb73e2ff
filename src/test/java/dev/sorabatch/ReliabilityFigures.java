package dev.sorabatch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.ArrayList;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.sorabatch.simulator.SimulatorStats;

/**
 * One row of the fault matrix (docs/reliability.md) as a fault test measured it, written to
 * {@code target/reliability/<name>.json} and printed, so the document's figures come from a run.
 *
 * @param rate          how often the fault happened, in words ("20 kills", "10 % of requests")
 * @param lostInputs    input files found neither in the inbox nor in done/ at any check
 * @param lostPaidJobs  jobs the provider created that the manifest does not account for (stored, failed or expired)
 * @param duplicateCreates jobs created beyond one per item
 */
public record ReliabilityFigures(String fault, String rate, int items, int instances, String store, int stored,
                                 int failed, int uncertain, int lostInputs, int lostPaidJobs, int duplicateCreates,
                                 double seconds, Map<String, Object> detail) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The outcome counts from a batch's manifest; {@code detail} may be added to afterwards. */
    public static ReliabilityFigures of(String fault, String rate, int instances, String store, JsonNode manifest,
                                        int lostInputs, int lostPaidJobs, int duplicateCreates, double seconds) {
        JsonNode counts = manifest.path("counts");
        return new ReliabilityFigures(fault, rate, counts.path("total").asInt(), instances, store,
                counts.path("stored").asInt(), counts.path("failed").asInt(), counts.path("uncertain").asInt(),
                lostInputs, lostPaidJobs, duplicateCreates, Math.round(seconds * 10) / 10.0, new LinkedHashMap<>());
    }

    public ReliabilityFigures with(String key, Object value) {
        detail.put(key, value);
        return this;
    }

    /** Writes {@code target/reliability/<name>.json} and prints the same. */
    public void write(String name) {
        try {
            Path file = Files.createDirectories(Path.of("target/reliability")).resolve(name + ".json");
            JSON.writeValue(file.toFile(), this);
            System.out.println("Reliability figures " + name + ": " + JSON.writer()
                    .without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(this));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Jobs the provider created (and billed) that no manifest item ended stored, failed or expired with. Faces show
     * the engine's job id in their own forms (a UUID with dashes, inside an operation name), so an item names a job
     * when its provider job id, dashes removed, contains the engine's id.
     */
    public static int unaccounted(SimulatorStats stats, JsonNode manifest) {
        Set<String> settled = Set.of("stored", "failed", "expired");
        List<String> settledJobs = new ArrayList<>();
        manifest.path("items").forEach(item -> {
            if (settled.contains(item.path("status").asText())) {
                settledJobs.add(item.path("provider_job_id").asText().replace("-", ""));
            }
        });
        return (int) stats.jobIds().stream().filter(id -> settledJobs.stream().noneMatch(j -> j.contains(id))).count();
    }

    public static int duplicates(SimulatorStats stats) {
        return stats.jobsPerPrompt().values().stream().mapToInt(n -> n - 1).sum();
    }
}

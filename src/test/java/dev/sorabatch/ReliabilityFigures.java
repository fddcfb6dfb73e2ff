package dev.sorabatch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

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
}

package dev.sorabatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files built to exhaust memory, given to the packaged pipeline in a child JVM with a small heap, in once mode: each
 * ends with a reason, the run ends, nothing runs out of memory.
 */
class HostileInputIT {

    private static final long MB = 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void hugeLinesCellsAndDeepNestingEndWithAReasonInsteadOfOutOfMemory() throws Exception {
        Path inbox = Files.createDirectories(dir.resolve("data/inbox"));
        try (BufferedWriter w = Files.newBufferedWriter(inbox.resolve("line.jsonl"), StandardCharsets.UTF_8)) {
            w.write("{\"prompt\": \"");
            repeat(w, 'x', 300 * MB);
            w.write("\"}\n");
        }
        try (BufferedWriter w = Files.newBufferedWriter(inbox.resolve("cell.csv"), StandardCharsets.UTF_8)) {
            w.write("prompt,notes\nA long note,\"");
            repeat(w, 'y', 300 * MB);
            w.write("\"\n");
        }
        Files.writeString(inbox.resolve("nested.jsonl"), "{\"prompt\": \"p\", \"x\": " + "[".repeat(100_000)
                + "]".repeat(100_000) + "}\n{\"id\": \"fine\", \"prompt\": \"A pier at dawn\"}\n");
        Files.writeString(inbox.resolve("good.csv"), "prompt\nA pier at dusk\n");

        Path log = dir.resolve("pipeline.log");
        runOnce("256m", Map.of("sora.simulator.generation-min", "200", "sora.simulator.generation-max", "500",
                "sora.poll.initial-interval", "300"), log, 3);

        assertThat(error("line.jsonl")).isEqualTo("line 1 is longer than 4000000 characters (sora.input.max-line-length)");
        assertThat(error("cell.csv")).isEqualTo(
                "the row starting on line 2 is longer than 4000000 characters (sora.input.max-line-length)");
        JsonNode nested = Pipeline.JSON.readTree(dir.resolve("data/outbox/nested/manifest.json").toFile()).path("items");
        assertThat(nested.get(0).path("status").asText()).isEqualTo("rejected");
        assertThat(nested.get(0).path("error").path("message").asText()).contains("sora.input.max-nesting-depth");
        assertThat(nested.get(1).path("status").asText()).isEqualTo("stored");
        assertThat(dir.resolve("data/outbox/good/manifest.json")).exists();
        assertThat(Files.readString(log)).doesNotContain("OutOfMemoryError");
    }

    @Test
    void aLargeFileOfLongIdsIsIngestedAndItsManifestWrittenInASmallHeap() throws Exception {
        Path inbox = Files.createDirectories(dir.resolve("data/inbox"));
        int rows = 200_000;
        String longId = "x".repeat(90);
        try (BufferedWriter w = Files.newBufferedWriter(inbox.resolve("wide.csv"), StandardCharsets.UTF_8)) {
            w.write("id,prompt,seconds,scene\n");
            for (int i = 1; i <= rows; i++) {
                // every row is rejected (seconds), so the batch is finished as soon as it is in; every 1000th id repeats
                w.write(longId + (i % 1000 == 0 ? i - 1 : i) + ",A lighthouse keeper climbs the stairs, scene " + i
                        + ",5,coast-" + i % 17 + "\n");
            }
        }
        Path log = dir.resolve("pipeline.log");
        runOnce("64m", Map.of(), log, 4);

        assertThat(dir.resolve("data/done/wide.csv")).exists();
        JsonNode counts = Pipeline.JSON.readTree(dir.resolve("data/outbox/wide/manifest.json").toFile()).path("counts");
        assertThat(counts.path("total").asInt()).isEqualTo(rows);
        assertThat(counts.path("rejected").asInt()).isEqualTo(rows);
        assertThat(Files.readString(log)).doesNotContain("OutOfMemoryError");
    }

    /** Runs the packaged pipeline once over the input; it must end within the time with exit code 3 (set aside). */
    private void runOnce(String heap, Map<String, String> settings, Path log, int minutes) throws Exception {
        Map<String, String> all = new java.util.HashMap<>(settings);
        all.putAll(Map.of("sora.once", "true", "sora.input.settle-time", "100", "sora.input.poll-interval", "200"));
        Process child = ChildPipeline.start(dir, heap, all, log);
        try {
            assertThat(child.waitFor(minutes, TimeUnit.MINUTES)).as("once mode ends (log: %s)", log).isTrue();
            assertThat(child.exitValue()).as("exit code: not every item stored (log: %s)", log).isEqualTo(3);
        } finally {
            child.destroyForcibly().waitFor();
        }
    }

    private String error(String name) throws IOException {
        return Pipeline.JSON.readTree(dir.resolve("data/error").resolve(name + ".error.json").toFile()).path("error").asText();
    }

    private static void repeat(BufferedWriter w, char c, long count) throws IOException {
        char[] block = new char[64 * 1024];
        java.util.Arrays.fill(block, c);
        for (long left = count; left > 0; left -= block.length) {
            w.write(block, 0, (int) Math.min(block.length, left));
        }
    }
}

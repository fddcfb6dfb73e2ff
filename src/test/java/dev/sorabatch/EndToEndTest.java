package dev.sorabatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sorabatch.output.Hashing;
import dev.sorabatch.simulator.Asset;

class EndToEndTest {

    /** 20 requests: 18 valid (one with a newline in its prompt, one non-ASCII) and 2 that break a rule. */
    static List<Map<String, Object>> requests() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            rows.add(new java.util.LinkedHashMap<>(Map.of("id", "clip-" + i, "prompt", "A lighthouse at dusk, shot " + i,
                    "style", "cinematic", "seconds", i % 2 == 0 ? 8 : 4, "size", "1280x720")));
        }
        rows.get(2).put("prompt", "Two friends talk,\nthen laugh \"loudly\"");
        rows.get(3).put("prompt", "Café au lait au crépuscule, 東京の夜");
        rows.get(5).put("seconds", 5);
        rows.get(9).put("prompt", "");
        rows.get(11).put("camera", "tracking shot");
        rows.get(11).put("audio", "rain falling");
        rows.get(12).put("scene_tag", "beach");
        return rows;
    }

    static String csv(List<Map<String, Object>> rows) {
        StringBuilder sb = new StringBuilder("id,prompt,style,seconds,size,camera,audio,scene_tag\r\n");
        for (Map<String, Object> r : rows) {
            for (String col : List.of("id", "prompt", "style", "seconds", "size", "camera", "audio", "scene_tag")) {
                Object v = r.get(col);
                String s = v == null ? "" : v.toString();
                sb.append(s.matches(".*[,\"\r\n].*") ? "\"" + s.replace("\"", "\"\"") + "\"" : s);
                sb.append(col.equals("scene_tag") ? "\r\n" : ",");
            }
        }
        return sb.toString();
    }

    static String jsonArray(List<Map<String, Object>> rows) {
        ArrayNode array = Pipeline.JSON.createArrayNode();
        rows.forEach(r -> array.add(Pipeline.JSON.valueToTree(r)));
        return array.toString();
    }

    static String jsonLines(List<Map<String, Object>> rows) {
        StringBuilder sb = new StringBuilder();
        rows.forEach(r -> sb.append(Pipeline.JSON.valueToTree(r).toString()).append('\n'));
        return sb.toString();
    }

    @Test
    void csvBatchIsStoredWithExactManifestAndSourceMovedToDone(@TempDir Path dir) throws Exception {
        try (Pipeline p = Pipeline.start(dir, Map.of())) {
            p.drop("prompts.csv", csv(requests()));
            JsonNode manifest = p.awaitManifest("prompts", Duration.ofSeconds(60));

            assertThat(manifest.path("counts").path("total").asInt()).isEqualTo(20);
            assertThat(manifest.path("counts").path("stored").asInt()).isEqualTo(18);
            assertThat(manifest.path("counts").path("rejected").asInt()).isEqualTo(2);
            assertThat(manifest.path("counts").path("failed").asInt()).isZero();
            assertThat(manifest.path("source").asText()).isEqualTo("prompts.csv");
            assertThat(manifest.path("seconds_generated").asInt()).isEqualTo(10 * 4 + 8 * 8);

            String servedSha = p.simulator().sha256(Asset.VIDEO);
            int videos = 0;
            for (JsonNode item : manifest.path("items")) {
                if (item.path("status").asText().equals("stored")) {
                    Path video = p.batchDir("prompts").resolve(item.path("video").asText());
                    assertThat(sha256(video)).isEqualTo(servedSha);
                    assertThat(item.path("sha256").asText()).isEqualTo(servedSha);
                    assertThat(p.batchDir("prompts").resolve(item.path("thumbnail").asText())).exists();
                    videos++;
                } else {
                    assertThat(item.path("status").asText()).isEqualTo("rejected");
                    assertThat(item.path("error").path("message").asText()).isNotBlank();
                }
            }
            assertThat(videos).isEqualTo(18);
            JsonNode byId = index(manifest);
            assertThat(byId.path("clip-6").path("error").path("message").asText()).contains("seconds");
            assertThat(byId.path("clip-10").path("error").path("message").asText()).contains("prompt");
            assertThat(byId.path("clip-3").path("prompt").asText()).contains("Two friends talk,\nthen laugh \"loudly\"");
            assertThat(byId.path("clip-4").path("prompt").asText()).contains("東京の夜");
            assertThat(byId.path("clip-12").path("prompt").asText()).contains("tracking shot").contains("rain falling");
            assertThat(byId.path("clip-13").path("metadata").path("scene_tag").asText()).isEqualTo("beach");
            assertThat(p.simulator().stats().jobsCreated()).isEqualTo(18);

            assertThat(dir.resolve("done/prompts.csv")).exists();
            assertThat(p.inbox().resolve("prompts.csv")).doesNotExist();
            assertThat(p.batchDir("prompts").resolve("manifest.csv")).exists();
        }
    }

    @Test
    void jsonAndJsonLinesGiveTheSameManifestAsCsv(@TempDir Path dir) throws Exception {
        try (Pipeline p = Pipeline.start(dir, Map.of())) {
            p.drop("as-csv.csv", csv(requests()));
            p.drop("as-json.json", jsonArray(requests()));
            p.drop("as-jsonl.jsonl", jsonLines(requests()));
            JsonNode fromCsv = comparable(p.awaitManifest("as-csv", Duration.ofSeconds(90)));
            JsonNode fromJson = comparable(p.awaitManifest("as-json", Duration.ofSeconds(90)));
            JsonNode fromJsonl = comparable(p.awaitManifest("as-jsonl", Duration.ofSeconds(90)));
            assertThat(fromJson).isEqualTo(fromCsv);
            assertThat(fromJsonl).isEqualTo(fromCsv);
        }
    }

    /** Drops what differs by nature between runs: source, times, job ids, attempt counts. */
    static JsonNode comparable(JsonNode manifest) {
        ObjectNode m = manifest.deepCopy();
        for (String f : List.of("batch_id", "source", "source_sha256", "started_at", "finished_at")) {
            m.remove(f);
        }
        for (JsonNode item : m.path("items")) {
            for (String f : List.of("provider_job_id", "submitted_at", "completed_at", "stored_at", "attempts")) {
                ((ObjectNode) item).remove(f);
            }
            // CSV cells are text: compare metadata by value
            ObjectNode meta = (ObjectNode) item.path("metadata");
            meta.fieldNames().forEachRemaining(k -> meta.put(k, meta.path(k).asText()));
        }
        return m;
    }

    static String sha256(Path file) throws java.io.IOException {
        java.security.MessageDigest digest = Hashing.sha256();
        digest.update(Files.readAllBytes(file));
        return Hashing.hex(digest);
    }

    static JsonNode index(JsonNode manifest) {
        ObjectNode byId = Pipeline.JSON.createObjectNode();
        manifest.path("items").forEach(i -> byId.set(i.path("id").asText(), i));
        return byId;
    }
}

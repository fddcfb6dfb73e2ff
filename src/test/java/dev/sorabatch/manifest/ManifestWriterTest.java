package dev.sorabatch.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sorabatch.ManualClock;
import dev.sorabatch.StoreFixture;
import dev.sorabatch.budget.Budgets;
import dev.sorabatch.output.FolderOutputStore;
import dev.sorabatch.catalog.ModelCatalog;
import dev.sorabatch.store.Batch;
import dev.sorabatch.store.IngestTransaction;
import dev.sorabatch.store.Item;
import dev.sorabatch.store.Move;
import dev.sorabatch.store.NewItem;

/** manifest.json and manifest.csv of a batch, written from the real store into a real output folder. */
class ManifestWriterTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void everyItemIsInBothManifestsWithItsOutcomeCountsAndCost() throws Exception {
        ManualClock clock = new ManualClock(1_764_000_000_000L);
        try (StoreFixture fixture = new StoreFixture(dir, clock)) {
            Batch batch;
            try (IngestTransaction tx = fixture.store.batches().beginIngest("shots.csv", "simulator", "openai", 30_000)) {
                tx.add(new NewItem(2, "city", "city", "city", 1, "A city at night", "sora-2", 8, "720x1280", null, null,
                        "{\"scene\":\"1\"}", null));
                tx.add(new NewItem(3, "=cmd", "_cmd", "_cmd", 1, "-a formula", "sora-2", 4, "720x1280", null, null, "{}",
                        null));
                tx.add(new NewItem(4, "bad", "bad", "bad", 1, null, null, 0, null, null, null, "{}",
                        "seconds must be one of 4, 8, 12 (got 5)"));
                tx.flush();
                batch = tx.open("shots", "sha-of-shots");
            }
            List<Item> claimed = fixture.store.claims().forCreate(2, 30_000, "test");
            Item city = claimed.get(0);
            fixture.store.items().accepted(city.id(), "video_city", clock.millis(), clock.millis());
            fixture.store.items().completed(city.id(), clock.millis(), null);
            fixture.store.items().stored(city.id(), "videos/city.mp4", "thumbnails/city.webp", 9423, "abc123");
            fixture.store.items().finish(claimed.get(1).id(), Move.CREATE_FAILED, "moderation_blocked", "blocked");

            new ManifestWriter(fixture.store.batches(), new FolderOutputStore(dir.resolve("out")),
                    new ManifestSettings(new CostEstimate(Map.of("sora-2", "0.10"), ModelCatalog.builtIn()), dir.resolve("tmp")),
                    Budgets.unlimited(fixture.store), batchName -> GalleryLinks.relative())
                    .write(fixture.store.batches().get(batch.id()), clock.millis());

            JsonNode json = JSON.readTree(dir.resolve("out/shots/manifest.json").toFile());
            assertThat(json.path("batch_id").asText()).isEqualTo("shots");
            assertThat(json.path("source").asText()).isEqualTo("shots.csv");
            assertThat(json.path("source_sha256").asText()).isEqualTo("sha-of-shots");
            assertThat(json.path("counts").toString())
                    .isEqualTo("{\"total\":3,\"stored\":1,\"failed\":1,\"rejected\":1,\"expired\":0,\"uncertain\":0,"
                            + "\"cancelled\":0,\"planned\":0,\"skipped_budget\":0,\"qa_failed\":0}");
            assertThat(json.path("revision").asInt()).isEqualTo(1);
            assertThat(json.path("seconds_generated").asLong()).isEqualTo(8);
            assertThat(json.path("estimated_cost_usd").decimalValue()).isEqualByComparingTo("0.80");
            JsonNode first = json.path("items").get(0);
            assertThat(first.path("status").asText()).isEqualTo("stored");
            assertThat(first.path("video").asText()).isEqualTo("videos/city.mp4");
            assertThat(first.path("bytes").asLong()).isEqualTo(9423);
            assertThat(first.path("error").isNull()).isTrue();
            assertThat(first.path("metadata").path("scene").asText()).isEqualTo("1");
            assertThat(json.path("items").get(1).path("error").path("code").asText()).isEqualTo("moderation_blocked");
            assertThat(json.path("items").get(2).path("status").asText()).isEqualTo("rejected");
            assertThat(json.path("items").get(2).path("error").path("message").asText()).contains("got 5");

            try (Reader in = Files.newBufferedReader(dir.resolve("out/shots/manifest.csv"))) {
                List<CSVRecord> rows = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                        .parse(in).getRecords();
                assertThat(rows).extracting(r -> r.get("id"), r -> r.get("status")).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("city", "stored"),
                        org.assertj.core.groups.Tuple.tuple("'=cmd", "failed"),
                        org.assertj.core.groups.Tuple.tuple("bad", "rejected"));
                assertThat(rows.get(1).get("prompt")).as("no formula for a spreadsheet to run").isEqualTo("'-a formula");
                assertThat(rows.get(0).get("sha256")).isEqualTo("abc123");
            }
            assertThat(dir.resolve("tmp")).isEmptyDirectory();
        }
    }
}

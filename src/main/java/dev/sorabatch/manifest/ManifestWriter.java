package dev.sorabatch.manifest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import dev.sorabatch.budget.Budget;
import dev.sorabatch.output.OutputStore;
import dev.sorabatch.store.Batch;
import dev.sorabatch.store.BatchCounts;
import dev.sorabatch.store.ClipReport;
import dev.sorabatch.store.Item;
import dev.sorabatch.store.ItemState;
import dev.sorabatch.store.Batches;

/**
 * Writes {@code manifest.csv}, then {@code index.html} (the review gallery) and {@code manifest.json} (last, so
 * consumers can trigger on it) for a batch, streaming the items from the store: a 100,000-item batch is never held
 * in memory.
 */
public class ManifestWriter {

    static final List<String> CSV_COLUMNS = List.of("id", "row", "take", "status", "prompt", "model", "seconds", "size",
            "provider_job_id", "video", "thumbnail", "bytes", "sha256", "attempts", "submitted_at", "completed_at",
            "stored_at", "error_code", "error_message", "metadata", "provider", "audio", "cost_usd", "qa_flags");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Batches store;
    private final OutputStore output;
    private final CostEstimate cost;
    private final Path tempDir;
    private final Budget budget;
    private final GalleryWriter gallery = new GalleryWriter();
    private final Function<String, GalleryLinks> links;

    /**
     * @param budget prices each item from the catalogue and tells the batch's spend against its budgets
     * @param links  how the gallery of a batch (by its folder name) links to its files
     */
    public ManifestWriter(Batches store, OutputStore output, ManifestSettings settings, Budget budget,
                          Function<String, GalleryLinks> links) {
        this.store = store;
        this.output = output;
        this.cost = settings.cost();
        this.tempDir = settings.tempDir();
        this.budget = budget;
        this.links = links;
    }

    public void write(Batch batch, long finishedAt) throws IOException, SQLException {
        Files.createDirectories(tempDir);
        Path csv = Files.createTempFile(tempDir, "manifest", ".csv");
        Path json = Files.createTempFile(tempDir, "manifest", ".json");
        try {
            Plan plan = writeCsv(batch, csv);
            writeJson(batch, finishedAt, json, plan);
            publish(batch, csv, "manifest.csv", "text/csv; charset=utf-8");
            gallery.publish(json, links.apply(batch.name()), output, batch.name(), tempDir);
            publish(batch, json, "manifest.json", "application/json");
        } finally {
            Files.deleteIfExists(csv);
            Files.deleteIfExists(json);
        }
    }

    private void publish(Batch batch, Path file, String name, String contentType) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            output.write(batch.name(), name, in, Files.size(file), contentType);
        }
    }

    /** What the dry run's PLANNED items cost, summed while the CSV is written (one pass over the items less). */
    private static final class Plan {
        BigDecimal usd = BigDecimal.ZERO;
        boolean unpriced;

        void add(Item item, Optional<BigDecimal> price) {
            if (item.state() == ItemState.PLANNED) {
                price.ifPresentOrElse(p -> usd = usd.add(p), () -> unpriced = true);
            }
        }
    }

    private void writeJson(Batch batch, long finishedAt, Path file, Plan plan) throws IOException, SQLException {
        BatchCounts counts = store.counts(batch.id());
        Map<String, Long> seconds = store.storedSeconds(batch.id());
        try (JsonGenerator g = JSON.getFactory().createGenerator(file.toFile(), JsonEncoding.UTF8)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("batch_id", batch.name());
            // 1 for the first manifest; one more each time retried items made it be written again
            g.writeNumberField("revision", store.revision(batch.id()));
            g.writeStringField("source", batch.source());
            g.writeStringField("source_sha256", batch.sourceSha256());
            g.writeStringField("provider", batch.provider());
            g.writeStringField("started_at", iso(batch.createdAt()));
            g.writeStringField("finished_at", iso(finishedAt));
            g.writeObjectFieldStart("counts");
            g.writeNumberField("total", counts.total());
            for (ItemState s : List.of(ItemState.STORED, ItemState.FAILED, ItemState.REJECTED, ItemState.EXPIRED,
                    ItemState.UNCERTAIN)) {
                g.writeNumberField(status(s), counts.get(s));
            }
            g.writeNumberField(status(ItemState.CANCELLED), counts.get(ItemState.CANCELLED));
            // sora.dry-run, sora.budget.* and output QA
            for (ItemState s : List.of(ItemState.PLANNED, ItemState.SKIPPED_BUDGET)) {
                g.writeNumberField(status(s), counts.get(s));
            }
            g.writeNumberField("qa_failed", store.qaFailed(batch.id()));
            g.writeEndObject();
            g.writeNumberField("seconds_generated", seconds.values().stream().mapToLong(Long::longValue).sum());
            g.writeNumberField("estimated_cost_usd", cost.usd(store.storedClips(batch.id())));
            writeSpend(g, batch, plan);
            g.writeArrayFieldStart("items");
            store.forEachItemWithQa(batch.id(), (item, qa) -> {
                try {
                    writeItem(g, item, qa);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            g.writeEndArray();
            g.writeEndObject();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /**
     * The batch's estimated spend against its budgets: what its creates were reserved at (list prices from the
     * catalogue), what a dry run plans, the limits, and the day's spend over every batch.
     */
    private void writeSpend(JsonGenerator g, Batch batch, Plan plan) throws IOException, SQLException {
        g.writeObjectFieldStart("spend");
        g.writeNumberField("spent_usd", cents(budget.spent(batch.id())));
        g.writeNumberField("planned_usd", cents(plan.usd));
        g.writeBooleanField("planned_unpriced_items", plan.unpriced);
        writeUsd(g, "budget_per_batch_usd", budget.settings().perBatch());
        writeUsd(g, "budget_per_day_usd", budget.settings().perDay());
        g.writeNumberField("spent_today_usd", cents(budget.spentToday()));
        g.writeEndObject();
    }

    private static void writeUsd(JsonGenerator g, String field, BigDecimal usd) throws IOException {
        if (usd == null) {
            g.writeNullField(field);
        } else {
            g.writeNumberField(field, cents(usd));
        }
    }

    private static BigDecimal cents(BigDecimal usd) {
        return usd.setScale(2, RoundingMode.HALF_UP);
    }

    private void writeQa(JsonGenerator g, ClipReport qa) throws IOException {
        if (qa == null) {
            g.writeNullField("qa");
            return;
        }
        g.writeObjectFieldStart("qa");
        g.writeBooleanField("passed", !qa.flagged());
        g.writeFieldName("flags");
        g.writeTree(JSON.readTree(qa.flagsJson()));
        if (qa.durationMillis() == null) {
            g.writeNullField("duration_s");
        } else {
            g.writeNumberField("duration_s", BigDecimal.valueOf(qa.durationMillis(), 3));
        }
        g.writeNumberField("width", qa.width());
        g.writeNumberField("height", qa.height());
        g.writeStringField("video_codec", qa.videoCodec());
        g.writeStringField("audio_codec", qa.audioCodec());
        g.writeEndObject();
    }

    private void writeItem(JsonGenerator g, Item item, ClipReport qa) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", item.requestId());
        g.writeNumberField("row", item.row());
        g.writeNumberField("take", item.take());
        g.writeStringField("status", status(item.state()));
        g.writeStringField("prompt", item.prompt());
        g.writeStringField("provider", item.provider());
        g.writeStringField("model", item.model());
        writeNumber(g, "seconds", item.seconds() == null ? null : item.seconds().longValue());
        g.writeStringField("size", item.size());
        if (item.audio() == null) {
            g.writeNullField("audio");
        } else {
            g.writeBooleanField("audio", item.audio());
        }
        g.writeStringField("provider_job_id", item.providerJobId());
        g.writeStringField("video", item.videoPath());
        g.writeStringField("thumbnail", item.thumbnailPath());
        writeNumber(g, "bytes", item.bytes());
        g.writeStringField("sha256", item.sha256());
        g.writeNumberField("attempts", item.attempts());
        g.writeNumberField("attempt", item.attempt());
        g.writeStringField("submitted_at", iso(item.submittedAt()));
        g.writeStringField("completed_at", iso(item.completedAt()));
        g.writeStringField("stored_at", iso(item.storedAt()));
        if (item.state() != ItemState.STORED && item.errorCode() != null) {
            g.writeObjectFieldStart("error");
            g.writeStringField("code", item.errorCode());
            g.writeStringField("message", item.errorMessage());
            g.writeEndObject();
        } else {
            g.writeNullField("error");
        }
        g.writeFieldName("metadata");
        g.writeTree(JSON.readTree(item.metadataJson()));
        Optional<BigDecimal> price = price(item);
        if (price.isPresent()) {
            g.writeNumberField("cost_usd", price.get().setScale(2, RoundingMode.HALF_UP));
        } else {
            g.writeNullField("cost_usd");
        }
        writeQa(g, qa);
        g.writeEndObject();
    }

    private static void writeNumber(JsonGenerator g, String field, Long value) throws IOException {
        if (value == null) {
            g.writeNullField(field);
        } else {
            g.writeNumberField(field, value);
        }
    }

    /** The item's list price; none for a rejected row, which is never sent. */
    private Optional<BigDecimal> price(Item item) {
        return item.state() == ItemState.REJECTED ? Optional.empty() : budget.prices().usd(item);
    }

    private Plan writeCsv(Batch batch, Path file) throws IOException, SQLException {
        Plan plan = new Plan();
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
             CSVPrinter csv = new CSVPrinter(w, CSVFormat.RFC4180.builder().setHeader(CSV_COLUMNS.toArray(String[]::new)).get())) {
            store.forEachItemWithQa(batch.id(), (item, qa) -> {
                Optional<BigDecimal> price = price(item);
                plan.add(item, price);
                try {
                    csv.printRecord(CsvCells.safe(List.of(item.requestId(), item.row(), item.take(),
                            status(item.state()), nz(item.prompt()), nz(item.model()), nz(item.seconds()), nz(item.size()),
                            nz(item.providerJobId()), nz(item.videoPath()), nz(item.thumbnailPath()), nz(item.bytes()),
                            nz(item.sha256()), item.attempts(), nz(iso(item.submittedAt())), nz(iso(item.completedAt())),
                            nz(iso(item.storedAt())), item.state() == ItemState.STORED ? "" : nz(item.errorCode()),
                            item.state() == ItemState.STORED ? "" : nz(item.errorMessage()), item.metadataJson(),
                            nz(item.provider()), nz(item.audio()),
                            price.map(ManifestWriter::cents).map(Object::toString).orElse(""),
                            qa == null ? "" : flagCodes(qa))));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return plan;
    }

    /** The flags' codes, space separated: {@code audio_missing size_mismatch}. */
    private static String flagCodes(ClipReport qa) throws IOException {
        List<String> codes = new java.util.ArrayList<>();
        JSON.readTree(qa.flagsJson()).forEach(flag -> codes.add(flag.path("code").asText()));
        return String.join(" ", codes);
    }

    static String status(ItemState state) {
        return state.name().toLowerCase(Locale.ROOT);
    }

    private static Object nz(Object value) {
        return value == null ? "" : value;
    }

    private static String iso(Long epochMillis) {
        return epochMillis == null ? null : Instant.ofEpochMilli(epochMillis).toString();
    }
}

package dev.sorabatch.manifest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import dev.sorabatch.output.OutputStore;
import dev.sorabatch.store.Batch;
import dev.sorabatch.store.BatchCounts;
import dev.sorabatch.store.Item;
import dev.sorabatch.store.ItemState;
import dev.sorabatch.store.Batches;

/**
 * Writes {@code manifest.csv} then {@code manifest.json} (last, so consumers can trigger on it) for a batch,
 * streaming the items from the store: a 100,000-item batch is never held in memory.
 */
public class ManifestWriter {

    static final List<String> CSV_COLUMNS = List.of("id", "row", "take", "status", "prompt", "model", "seconds", "size",
            "provider_job_id", "video", "thumbnail", "bytes", "sha256", "attempts", "submitted_at", "completed_at",
            "stored_at", "error_code", "error_message", "metadata", "provider", "audio");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Batches store;
    private final OutputStore output;
    private final CostEstimate cost;
    private final Path tempDir;

    public ManifestWriter(Batches store, OutputStore output, ManifestSettings settings) {
        this.store = store;
        this.output = output;
        this.cost = settings.cost();
        this.tempDir = settings.tempDir();
    }

    public void write(Batch batch, long finishedAt) throws IOException, SQLException {
        Files.createDirectories(tempDir);
        Path csv = Files.createTempFile(tempDir, "manifest", ".csv");
        Path json = Files.createTempFile(tempDir, "manifest", ".json");
        try {
            writeCsv(batch, csv);
            writeJson(batch, finishedAt, json);
            publish(batch, csv, "manifest.csv", "text/csv; charset=utf-8");
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

    private void writeJson(Batch batch, long finishedAt, Path file) throws IOException, SQLException {
        BatchCounts counts = store.counts(batch.id());
        Map<String, Long> seconds = store.storedSeconds(batch.id());
        try (JsonGenerator g = JSON.getFactory().createGenerator(file.toFile(), JsonEncoding.UTF8)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("batch_id", batch.name());
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
            g.writeEndObject();
            g.writeNumberField("seconds_generated", seconds.values().stream().mapToLong(Long::longValue).sum());
            g.writeNumberField("estimated_cost_usd", cost.usd(store.storedClips(batch.id())));
            g.writeArrayFieldStart("items");
            store.forEachItem(batch.id(), item -> {
                try {
                    writeItem(g, item);
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

    private static void writeItem(JsonGenerator g, Item item) throws IOException {
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
        g.writeEndObject();
    }

    private static void writeNumber(JsonGenerator g, String field, Long value) throws IOException {
        if (value == null) {
            g.writeNullField(field);
        } else {
            g.writeNumberField(field, value);
        }
    }

    private void writeCsv(Batch batch, Path file) throws IOException, SQLException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
             CSVPrinter csv = new CSVPrinter(w, CSVFormat.RFC4180.builder().setHeader(CSV_COLUMNS.toArray(String[]::new)).get())) {
            store.forEachItem(batch.id(), item -> {
                try {
                    csv.printRecord(CsvCells.safe(List.of(item.requestId(), item.row(), item.take(),
                            status(item.state()), nz(item.prompt()), nz(item.model()), nz(item.seconds()), nz(item.size()),
                            nz(item.providerJobId()), nz(item.videoPath()), nz(item.thumbnailPath()), nz(item.bytes()),
                            nz(item.sha256()), item.attempts(), nz(iso(item.submittedAt())), nz(iso(item.completedAt())),
                            nz(iso(item.storedAt())), item.state() == ItemState.STORED ? "" : nz(item.errorCode()),
                            item.state() == ItemState.STORED ? "" : nz(item.errorMessage()), item.metadataJson(),
                            nz(item.provider()), nz(item.audio()))));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
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

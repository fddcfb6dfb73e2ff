package dev.sorabatch.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sorabatch.output.Hashing;
import dev.sorabatch.run.RunControl;
import dev.sorabatch.store.Batch;
import dev.sorabatch.store.IngestTransaction;
import dev.sorabatch.store.JobStore;

/**
 * Turns one dropped file into one batch: parse, validate and write every row in one transaction, streaming.
 * Sets header {@value #ARCHIVE_HEADER} to where the file goes once the exchange completes: the done area after a
 * commit (or for a duplicate), the error area with a {@code <name>.error.json} beside it for a file that cannot be
 * read. Any other failure (the store is down) leaves the file in place to be read again.
 */
public class BatchIngestor {

    public static final String ARCHIVE_HEADER = "SoraArchiveTo";

    private static final Logger LOG = LoggerFactory.getLogger(BatchIngestor.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JobStore store;
    private final ValidationRules rules;
    private final RunControl run;
    private final String providerName;
    private final Path doneDir;
    private final Path errorDir;
    private final boolean skipDuplicates;

    public BatchIngestor(JobStore store, ValidationRules rules, RunControl run, String providerName, Path doneDir,
                         Path errorDir, boolean skipDuplicates) {
        this.store = store;
        this.rules = rules;
        this.run = run;
        this.providerName = providerName;
        this.doneDir = doneDir.toAbsolutePath();
        this.errorDir = errorDir.toAbsolutePath();
        this.skipDuplicates = skipDuplicates;
    }

    public void ingestFile(Exchange exchange) throws IOException, SQLException {
        InputStream body = exchange.getMessage().getBody(InputStream.class);
        if (body == null) { // an empty poll (sendEmptyMessageWhenIdle): the source is drained for now
            run.sourceIdle();
            return;
        }
        String name = exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        try (InputStream in = body) {
            Optional<Batch> batch = ingest(name, name, in);
            exchange.getMessage().setHeader(ARCHIVE_HEADER, doneDir.resolve(name).toString());
            batch.ifPresent(b -> exchange.getMessage().setHeader("SoraBatch", b.name()));
        } catch (BadFileException e) {
            LOG.warn("Set aside {}: {}", name, e.getMessage());
            Files.createDirectories(errorDir);
            writeErrorReport(errorDir.resolve(name + ".error.json"), name, e.getMessage());
            exchange.getMessage().setHeader(ARCHIVE_HEADER, errorDir.resolve(name).toString());
            run.fileSetAside();
        }
    }

    /**
     * Reads and commits one batch. Empty when the same content was already ingested (and duplicates are skipped).
     */
    public Optional<Batch> ingest(String fileName, String source, InputStream in)
            throws IOException, SQLException, BadFileException {
        DigestInputStream hashing = new DigestInputStream(in, Hashing.sha256());
        RequestValidator validator = new RequestValidator(rules);
        try (IngestTransaction tx = store.beginIngest(source, providerName)) {
            ReadResult read;
            try {
                read = RequestReader.read(fileName, hashing, row -> {
                    for (ItemDraft draft : validator.validate(row)) {
                        try {
                            tx.add(draft);
                        } catch (SQLException e) {
                            throw new IOException(new StoreFailure(e));
                        }
                    }
                });
            } catch (IOException e) {
                if (e.getCause() instanceof StoreFailure f) {
                    throw f.sql();
                }
                throw e;
            }
            String sha = Hashing.hex(hashing.getMessageDigest());
            Optional<Batch> earlier = store.findBatchBySha(sha);
            if (skipDuplicates && earlier.isPresent()) {
                LOG.warn("Skipped {}: same content as batch {} (set sora.input.skip-duplicates=false to run it again)",
                        fileName, earlier.get().name());
                return Optional.empty();
            }
            Batch batch = tx.commit(batchName(read.batchName(), fileName), sha);
            LOG.info("Batch {} from {}: {} items ({} rows, {} format)", batch.name(), fileName, tx.total(), read.rows(),
                    read.format());
            return Optional.of(batch);
        }
    }

    /** The file's own batch name, else its base name; sanitised like item ids so it is a safe folder name. */
    static String batchName(String declared, String fileName) {
        String base = declared != null && !declared.isBlank() ? declared
                : fileName.contains(".") ? fileName.substring(0, fileName.lastIndexOf('.')) : fileName;
        String safe = base.replaceAll("[^A-Za-z0-9._-]+", "_").replaceAll("^[._]+", "");
        return safe.isEmpty() ? "batch" : safe.length() > 100 ? safe.substring(0, 100) : safe;
    }

    private static void writeErrorReport(Path target, String fileName, String reason) throws IOException {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("file", fileName);
        report.put("error", reason);
        report.put("set_aside_at", Instant.now().toString());
        report.put("hint", "fix the file and drop it in the input folder again");
        Files.writeString(target, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report),
                StandardCharsets.UTF_8);
    }

    /** Carries a store failure through the row sink, which may only throw IOException. */
    private static final class StoreFailure extends RuntimeException {
        StoreFailure(SQLException e) {
            super(e);
        }

        SQLException sql() {
            return (SQLException) getCause();
        }
    }
}

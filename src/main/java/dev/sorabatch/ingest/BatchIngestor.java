package dev.sorabatch.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sorabatch.output.Hashing;
import dev.sorabatch.store.Batch;
import dev.sorabatch.store.IngestTransaction;
import dev.sorabatch.store.JobStore;

/**
 * Turns one input file or object into one batch: parse, validate and write every row in one transaction,
 * streaming. Where the input comes from, and where it goes afterwards, is up to the {@link InputSource}.
 */
public class BatchIngestor {

    private static final Logger LOG = LoggerFactory.getLogger(BatchIngestor.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JobStore store;
    private final ValidationRules rules;
    private final String providerName;
    private final boolean skipDuplicates;

    public BatchIngestor(JobStore store, ValidationRules rules, String providerName, boolean skipDuplicates) {
        this.store = store;
        this.rules = rules;
        this.providerName = providerName;
        this.skipDuplicates = skipDuplicates;
    }

    /** True when this exact object (by its {@code sourceRef}) was committed before: it need not be read again. */
    public boolean seen(String sourceRef) throws SQLException {
        return store.findBatchBySourceRef(sourceRef).isPresent();
    }

    /**
     * Reads and commits one batch. Empty when the same content was already ingested (and duplicates are skipped).
     */
    public Optional<Batch> ingest(String fileName, String source, String sourceRef, ReferenceResolver references,
                                  InputStream in) throws IOException, SQLException, BadFileException {
        DigestInputStream hashing = new DigestInputStream(in, Hashing.sha256());
        RequestValidator validator = new RequestValidator(rules, references);
        try (IngestTransaction tx = store.beginIngest(source, sourceRef, providerName)) {
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

    /** The {@code <name>.error.json} set beside an input that cannot be read. */
    public static byte[] errorReport(String source, String reason, String hint) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("file", source);
        report.put("error", reason);
        report.put("set_aside_at", Instant.now().toString());
        report.put("hint", hint);
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(report);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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

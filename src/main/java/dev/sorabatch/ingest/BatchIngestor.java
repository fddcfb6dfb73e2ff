package dev.sorabatch.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sorabatch.output.Hashing;
import dev.sorabatch.store.Batch;
import dev.sorabatch.store.BatchState;
import dev.sorabatch.store.ColumnSizes;
import dev.sorabatch.store.IngestTransaction;
import dev.sorabatch.store.Jdbc;
import dev.sorabatch.store.JobStore;
import dev.sorabatch.reference.ReferenceResolver;
import dev.sorabatch.store.NewItem;
import dev.sorabatch.store.KeyOwner;

/**
 * Turns one input file or object into one batch: parse, validate and write the rows, streaming, in committed chunks
 * of a batch that stays invisible to the workers until the whole file is in. Where the input comes from, and where it
 * goes afterwards, is up to the {@link InputSource}.
 * <p>
 * What goes wrong is told apart: a file that breaks the reader or the store (any exception or error while reading
 * it, a value the database refuses) is a {@link BadFileException}, to be set aside with the reason; an unreachable
 * store or input is an SQLException or IOException, to be tried again later.
 */
public class BatchIngestor {

    private static final Logger LOG = LoggerFactory.getLogger(BatchIngestor.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JobStore store;
    private final ValidationRules rules;
    private final ColumnSizes columns;
    private final RequestReader reader;
    private final String providerName;
    private final RowProviders providers;
    private final boolean skipDuplicates;
    private final long leaseMillis;

    /**
     * @param columns     what the store's columns hold, capped by the settings (input_reference)
     * @param leaseMillis how long a batch being ingested may go without a committed chunk before another instance
     *                    takes it for abandoned
     */
    public BatchIngestor(JobStore store, ValidationRules rules, ColumnSizes columns, ReadLimits limits,
                         String providerName, boolean skipDuplicates, long leaseMillis) {
        this(store, rules, columns, limits, providerName, RowProviders.openAiOnly(), skipDuplicates, leaseMillis);
    }

    /**
     * @param providerName recorded on each batch (the run's {@code sora.provider})
     * @param providers    the providers rows may name, and the catalogue they are checked against
     */
    public BatchIngestor(JobStore store, ValidationRules rules, ColumnSizes columns, ReadLimits limits,
                         String providerName, RowProviders providers, boolean skipDuplicates, long leaseMillis) {
        this.providers = providers;
        this.store = store;
        this.rules = rules;
        this.columns = columns;
        this.reader = new RequestReader(limits);
        this.providerName = providerName;
        this.skipDuplicates = skipDuplicates;
        this.leaseMillis = leaseMillis;
    }

    /** True when this exact object (by its {@code sourceRef}) was committed before: it need not be read again. */
    public boolean seen(String sourceRef) throws SQLException {
        return store.batches().bySourceRef(sourceRef).isPresent();
    }

    /** Deletes what reads cut short by a crash left behind: batches still INGESTING after their lease. */
    public void discardAbandoned() throws SQLException {
        int discarded = store.batches().discardAbandonedIngests();
        if (discarded > 0) {
            LOG.info("Discarded {} batch(es) left half-read by a process that stopped; their files are read again",
                    discarded);
        }
    }

    /** {@link #ingest(String, String, String, ReferenceResolver, InputStream, BooleanSupplier)} of an input that cannot change. */
    public Optional<Batch> ingest(String fileName, String source, String sourceRef, ReferenceResolver references,
                                  InputStream in) throws IOException, SQLException, BadFileException, InputChangedException {
        return ingest(fileName, source, sourceRef, references, in, () -> true);
    }

    /**
     * Reads and commits one batch. Empty when the same content was already ingested (and duplicates are skipped),
     * or when another instance committed the same input ({@code sourceRef}) first. The batch holds
     * {@code sourceRef} from before the first byte is read, so of several instances that see one input only one
     * reads it; the others are told with an {@link InputHeldException} and leave the input where it is.
     *
     * @param unchanged asked once the file is read, before the batch opens: false when the input changed meanwhile
     * @throws InputChangedException the input changed while it was read; nothing of the read is kept
     * @throws InputHeldException    another instance is reading the same input ({@code sourceRef})
     */
    public Optional<Batch> ingest(String fileName, String source, String sourceRef, ReferenceResolver references,
                                  InputStream in, BooleanSupplier unchanged)
            throws IOException, SQLException, BadFileException, InputChangedException {
        discardAbandoned();
        Optional<IngestTransaction> claim = store.batches().beginIngest(source, sourceRef, providerName,
                providers.defaultProvider(), leaseMillis);
        if (claim.isEmpty()) {
            Optional<Batch> holder = store.batches().bySourceRef(sourceRef);
            if (holder.isPresent() && holder.get().state() != BatchState.INGESTING) {
                LOG.info("{} was committed by another instance", source);
                return Optional.empty();
            }
            throw new InputHeldException(source + " is being read by another instance; it is left to it");
        }
        DigestInputStream hashing = new DigestInputStream(in, Hashing.sha256());
        try (IngestTransaction tx = claim.get()) {
            ReadResult read = read(fileName, hashing, new Rows(tx, references), tx);
            String sha = Hashing.hex(hashing.getMessageDigest());
            Optional<Batch> earlier = store.batches().bySha(sha);
            if (skipDuplicates && earlier.isPresent()) {
                LOG.warn("Skipped {}: same content as batch {} (set sora.input.skip-duplicates=false to run it again)",
                        fileName, earlier.get().name());
                return Optional.empty();
            }
            if (!unchanged.getAsBoolean()) {
                throw new InputChangedException(fileName + " changed while it was read; it is read again once it has"
                        + " stopped changing");
            }
            Batch batch = tx.open(batchName(read.batchName(), fileName), sha);
            LOG.info("Batch {} from {}: {} items ({} rows, {} format)", batch.name(), fileName, tx.total(),
                    read.rows(), read.format());
            return Optional.of(batch);
        }
    }

    /** Reads the whole file into the batch, telling a file that cannot be taken from a store that is unavailable. */
    private ReadResult read(String fileName, InputStream in, Rows rows, IngestTransaction tx)
            throws IOException, SQLException, BadFileException {
        try {
            ReadResult read = reader.read(fileName, in, rows);
            rows.flush();
            return read;
        } catch (StoreFailure f) {
            throw refusedOrUnavailable(f.sql(), tx);
        } catch (SQLException e) {
            throw refusedOrUnavailable(e, tx);
        } catch (IOException e) {
            if (e.getCause() instanceof StoreFailure f) {
                throw refusedOrUnavailable(f.sql(), tx);
            }
            throw e;
        } catch (RuntimeException | Error e) {
            // whatever the file did to the reader, reading it again would do it again
            LOG.warn("Reading {} failed", fileName, e);
            throw new BadFileException("the file could not be read (" + e + ")", e);
        }
    }

    private static SQLException refusedOrUnavailable(SQLException e, IngestTransaction tx) throws BadFileException {
        if (Jdbc.refusedValue(e) && held(tx)) {
            throw new BadFileException("the job store refused a row of this file (" + abbreviate(e.getMessage()) + ")", e);
        }
        return e;
    }

    private static boolean held(IngestTransaction tx) {
        try {
            return tx.held();
        } catch (SQLException e) {
            return false;
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

    private static String abbreviate(String message) {
        return message == null || message.length() <= 300 ? message : message.substring(0, 300) + "…";
    }

    /**
     * Validates rows and writes their items. Only the rows since the last flush are held; should one of them take an
     * id or item key that an earlier chunk holds (the store's unique index finds it), they are validated again with
     * the holders looked up in the store, which gives every row the outcome it would have had with the whole batch
     * in memory.
     */
    private final class Rows implements RowSink, KeyRegistry.Earlier {
        private final IngestTransaction tx;
        private final KeyRegistry keys = new KeyRegistry();
        private final RequestValidator validator;
        private final List<RawRow> pending = new ArrayList<>();

        Rows(IngestTransaction tx, ReferenceResolver references) {
            this.tx = tx;
            this.validator = new RequestValidator(rules, references, columns, keys, providers);
        }

        @Override
        public void accept(RawRow row) throws IOException {
            try {
                pending.add(row);
                add(row);
                if (tx.full()) {
                    flush();
                }
            } catch (SQLException e) {
                throw new IOException(new StoreFailure(e));
            }
        }

        void flush() throws SQLException {
            if (!tx.flush()) {
                keys.clear();
                keys.lookIn(this);
                for (RawRow row : pending) {
                    add(row);
                }
                keys.lookIn(KeyRegistry.Earlier.NONE);
                if (!tx.flush()) {
                    throw new IllegalStateException("an item key or id clashed although no row held it");
                }
            }
            keys.clear();
            pending.clear();
        }

        private void add(RawRow row) throws SQLException {
            for (NewItem draft : validator.validate(row)) {
                tx.add(draft);
            }
        }

        @Override
        public KeyOwner keyOwner(String foldedKey) {
            try {
                return tx.keyOwner(foldedKey);
            } catch (SQLException e) {
                throw new StoreFailure(e);
            }
        }

        @Override
        public KeyOwner idOwner(String foldedId) {
            try {
                KeyOwner owner = tx.idOwner(foldedId);
                return owner == null ? null
                        : new KeyOwner(owner.row(), owner.requestId(), RequestValidator.sanitise(owner.requestId()));
            } catch (SQLException e) {
                throw new StoreFailure(e);
            }
        }
    }

    /** Carries a store failure through the row sink and the validator, which may not throw SQLException. */
    private static final class StoreFailure extends RuntimeException {
        StoreFailure(SQLException e) {
            super(e);
        }

        SQLException sql() {
            return (SQLException) getCause();
        }
    }
}

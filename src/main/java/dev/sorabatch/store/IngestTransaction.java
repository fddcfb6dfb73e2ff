package dev.sorabatch.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;


/**
 * One file's rows written to a batch in state {@code INGESTING}, committed in chunks so that memory stays flat
 * whatever the file's size; workers take no item of such a batch. {@link #open} makes the whole batch visible at
 * once, in one update; until then nothing of it runs. A batch that is never opened is deleted on {@link #close},
 * or, if the process dies first, by the next {@link Batches#discardAbandonedIngests} once its lease has run out.
 * <p>
 * Item keys and ids are unique in a batch through the store's unique indexes ({@code V4}): {@link #flush} tells when
 * a row took one that an earlier chunk holds, and {@link #keyOwner} / {@link #idOwner} say which row holds it.
 */
public final class IngestTransaction implements AutoCloseable {

    /** Items per JDBC batch. */
    private static final int BATCH_ITEMS = 500;
    /** Characters per JDBC batch, so that rows carrying data: images go in smaller batches. */
    private static final long BATCH_CHARS = 4_000_000;
    /** Items per commit: H2 holds a transaction's uncommitted rows in memory. */
    private static final int CHUNK_ITEMS = 10_000;

    private final String defaultProvider;
    private final Jdbc jdbc;
    private final Batches batches;
    private final Connection connection;
    private final PreparedStatement insertItem;
    private final long batchId;
    private final long now;
    private final long leaseMillis;
    private int pendingItems;
    private long pendingChars;
    private int uncommitted;
    private long committedAt;
    private int total;
    private boolean opened;

    /**
     * Inserts the INGESTING batch, which holds {@code sourceRef} from the start: it is the claim of that input, so
     * that of the instances that see it only one reads it. Empty, with nothing written, when another batch holds it.
     *
     * @param sourceRef       the identity of the input (null: none), unique among batches
     * @param provider        recorded on the batch (the run's {@code sora.provider})
     * @param defaultProvider the provider of items whose row names none
     */
    static Optional<IngestTransaction> begin(Jdbc jdbc, Batches batches, String source, String sourceRef,
                                             String provider, String defaultProvider, long leaseMillis)
            throws SQLException {
        try {
            return Optional.of(new IngestTransaction(jdbc, batches, source, sourceRef, provider, defaultProvider,
                    leaseMillis));
        } catch (SQLException e) {
            if (sourceRef != null && Jdbc.isUniqueViolation(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private IngestTransaction(Jdbc jdbc, Batches batches, String source, String sourceRef, String provider,
                              String defaultProvider, long leaseMillis) throws SQLException {
        this.defaultProvider = defaultProvider;
        this.jdbc = jdbc;
        this.batches = batches;
        this.now = jdbc.now();
        this.leaseMillis = leaseMillis;
        this.connection = jdbc.connection();
        try {
            connection.setAutoCommit(false);
            String placeholder = "ingesting-" + UUID.randomUUID();
            try (PreparedStatement ps = connection.prepareStatement("insert into batch (name, name_folded, source, "
                    + "source_ref, source_sha256, provider, state, total_items, created_at, lease_until) "
                    + "values (?, ?, ?, ?, '', ?, '" + BatchState.INGESTING + "', 0, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
                Jdbc.bind(ps, placeholder, placeholder, source, sourceRef, provider, now, now + leaseMillis);
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    batchId = keys.getLong(1);
                }
            }
            connection.commit();
            committedAt = jdbc.now();
            insertItem = connection.prepareStatement("insert into item (batch_id, item_key, key_folded, id_folded, "
                    + "request_id, row_no, take, state, prompt, model, seconds, size, remix_of, input_reference, metadata, "
                    + "next_attempt_at, error_code, error_message, created_at, provider, create_key, audio, aspect_ratio, "
                    + "resolution) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        } catch (SQLException e) {
            connection.rollback();
            connection.close();
            throw e;
        }
    }

    public void add(NewItem d) throws SQLException {
        Jdbc.bind(insertItem, batchId, d.itemKey(), d.foldedKey(), d.foldedId(), d.requestId(), d.row(), d.take(),
                d.rejected() ? ItemState.REJECTED.name() : ItemState.PENDING.name(), d.prompt(), d.model(),
                d.rejected() ? null : d.seconds(), d.size(), d.remixOf(), d.inputReference(), d.metadataJson(),
                d.rejected() ? 0L : now, d.rejected() ? "invalid_request" : null, Jdbc.truncate(d.rejection()), now,
                d.provider() != null ? d.provider() : defaultProvider, d.rejected() ? null : CreateKeys.next(),
                d.audio(), d.aspectRatio(), d.resolution());
        insertItem.addBatch();
        pendingItems++;
        pendingChars += d.weight();
    }

    /** True when enough items wait that they should be {@link #flush flushed}. */
    public boolean full() {
        return pendingItems >= BATCH_ITEMS || pendingChars >= BATCH_CHARS;
    }

    /**
     * Writes the items added since the last flush, and commits them when a chunk is complete or the lease is due for
     * renewal. Returns false, with none of them written, when one of them takes an item key or id that the batch
     * already holds: the caller then validates those rows again knowing the holders, and adds them again.
     */
    public boolean flush() throws SQLException {
        if (pendingItems == 0) {
            return true;
        }
        Savepoint before = connection.setSavepoint();
        try {
            insertItem.executeBatch();
        } catch (SQLException e) {
            // a failed statement aborts the whole transaction on PostgreSQL: back to before this batch
            connection.rollback(before);
            insertItem.clearBatch();
            pendingItems = 0;
            pendingChars = 0;
            if (Jdbc.isUniqueViolation(e)) {
                return false;
            }
            throw e;
        }
        connection.releaseSavepoint(before);
        total += pendingItems;
        uncommitted += pendingItems;
        pendingItems = 0;
        pendingChars = 0;
        if (uncommitted >= CHUNK_ITEMS || jdbc.now() - committedAt > leaseMillis / 3) {
            commitChunk();
        }
        return true;
    }

    /** The row of this batch that holds the item key (folded), or null. */
    public KeyOwner keyOwner(String foldedKey) throws SQLException {
        return owner("key_folded", foldedKey);
    }

    /** The row of this batch that holds the id (folded), or null; its key is the item key of its first take. */
    public KeyOwner idOwner(String foldedId) throws SQLException {
        return owner("id_folded", foldedId);
    }

    private KeyOwner owner(String column, String folded) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("select row_no, request_id, item_key from item "
                + "where batch_id = ? and " + column + " = ?")) {
            Jdbc.bind(ps, batchId, folded);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new KeyOwner(rs.getInt(1), rs.getString(2), rs.getString(3)) : null;
            }
        }
    }

    public int total() {
        return total;
    }

    /** Still this ingest's batch: no other instance took it over after a lease ran out. */
    public boolean held() throws SQLException {
        return !jdbc.queryBatches("select * from batch where id = ? and state = '" + BatchState.INGESTING + "'", batchId)
                .isEmpty();
    }

    /**
     * Commits what is left and opens the batch for the workers under the preferred name, or with a {@code -2},
     * {@code -3}… suffix when a batch of that name exists, ignoring case (the unique index on the folded name says
     * so, also for a name another instance takes at the same moment).
     */
    public Batch open(String preferredName, String sourceSha256) throws SQLException {
        if (pendingItems > 0) {
            throw new IllegalStateException("flush before opening the batch");
        }
        String name = preferredName;
        for (int n = 2; ; name = preferredName + "-" + n++) {
            String folded = name.toLowerCase(Locale.ROOT);
            // a failed statement aborts the whole transaction on PostgreSQL: each name is tried under a savepoint,
            // so that a taken one is rolled back alone and the rows written so far stay
            Savepoint before = connection.setSavepoint();
            try (PreparedStatement ps = connection.prepareStatement("update batch set state = '" + BatchState.OPEN
                    + "', name = ?, name_folded = ?, source_sha256 = ?, total_items = ?, "
                    + "lease_until = null where id = ? and state = '" + BatchState.INGESTING + "'")) {
                Jdbc.bind(ps, name, folded, sourceSha256, total, batchId);
                if (ps.executeUpdate() == 0) {
                    throw lost();
                }
            } catch (SQLException e) {
                connection.rollback(before);
                if (Jdbc.isUniqueViolation(e)) {
                    continue;
                }
                throw e;
            }
            connection.commit();
            opened = true;
            return batches.get(batchId);
        }
    }

    /** Discards the batch unless it was opened: the rows of an unfinished read never run. */
    @Override
    public void close() throws SQLException {
        try {
            insertItem.close();
            if (!opened) {
                if (!connection.getAutoCommit()) {
                    connection.rollback();
                    connection.setAutoCommit(true);
                }
                batches.deleteIngest(connection, batchId);
            }
        } finally {
            connection.close();
        }
    }

    private void commitChunk() throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "update batch set lease_until = ?, total_items = ? where id = ? and state = '"
                + BatchState.INGESTING + "'")) {
            Jdbc.bind(ps, jdbc.now() + leaseMillis, total, batchId);
            if (ps.executeUpdate() == 0) {
                throw lost();
            }
        }
        connection.commit();
        committedAt = jdbc.now();
        uncommitted = 0;
    }

    private static SQLException lost() {
        return new SQLException("the batch being ingested was discarded by another instance after its lease ran out");
    }
}

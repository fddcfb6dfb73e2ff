package dev.sorabatch.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import dev.sorabatch.ingest.ItemDraft;

/**
 * One file's rows written in one transaction, streamed in JDBC batches: a file is either entirely in the store
 * or not at all, so it can be moved to the done area exactly when this commits.
 */
public final class IngestTransaction implements AutoCloseable {

    private static final int FLUSH_EVERY = 500;

    private final JobStore store;
    private final Connection connection;
    private final PreparedStatement insertItem;
    private final long batchId;
    private final long now;
    private int pending;
    private int total;
    private boolean done;

    IngestTransaction(JobStore store, String source, String sourceRef, String provider) throws SQLException {
        this.store = store;
        this.now = store.now();
        this.connection = store.dataSource().getConnection();
        try {
            connection.setAutoCommit(false);
            try (PreparedStatement ps = connection.prepareStatement("insert into batch (name, source, source_ref, "
                    + "source_sha256, provider, state, total_items, created_at) values (?, ?, ?, '', ?, 'OPEN', 0, ?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                JobStore.bind(ps, "ingesting-" + UUID.randomUUID(), source, sourceRef, provider, now);
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    batchId = keys.getLong(1);
                }
            }
            insertItem = connection.prepareStatement("insert into item (batch_id, item_key, request_id, row_no, take, "
                    + "state, prompt, model, seconds, size, remix_of, input_reference, metadata, next_attempt_at, "
                    + "error_code, error_message, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        } catch (SQLException e) {
            connection.rollback();
            connection.close();
            throw e;
        }
    }

    public void add(ItemDraft d) throws SQLException {
        JobStore.bind(insertItem, batchId, d.itemKey(), d.requestId(), d.row(), d.take(),
                d.rejected() ? ItemState.REJECTED.name() : ItemState.PENDING.name(), cap(d.prompt(), 20000), d.model(),
                d.rejected() ? null : d.seconds(), d.size(), d.remixOf(), d.inputReference(),
                cap(d.metadataJson(), 20000), d.rejected() ? 0L : now,
                d.rejected() ? "invalid_request" : null, JobStore.truncate(d.rejection()), now);
        insertItem.addBatch();
        total++;
        if (++pending == FLUSH_EVERY) {
            insertItem.executeBatch();
            pending = 0;
        }
    }

    public int total() {
        return total;
    }

    /**
     * Names the batch (the preferred name, or with a {@code -2}, {@code -3}… suffix when taken) and commits.
     */
    public Batch commit(String preferredName, String sourceSha256) throws SQLException {
        if (pending > 0) {
            insertItem.executeBatch();
            pending = 0;
        }
        String name = preferredName;
        for (int n = 2; ; n++) {
            if (store.queryBatches("select * from batch where name = ?", name).isEmpty()) {
                try (PreparedStatement ps = connection.prepareStatement(
                        "update batch set name = ?, source_sha256 = ?, total_items = ? where id = ?")) {
                    JobStore.bind(ps, name, sourceSha256, total, batchId);
                    ps.executeUpdate();
                    break;
                } catch (SQLException e) {
                    if (!JobStore.isUniqueViolation(e)) {
                        throw e;
                    }
                }
            }
            name = preferredName + "-" + n;
        }
        connection.commit();
        done = true;
        return store.batch(batchId);
    }

    @Override
    public void close() throws SQLException {
        try {
            insertItem.close();
            if (!done) {
                connection.rollback();
            }
        } finally {
            connection.close();
        }
    }

    private static String cap(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}

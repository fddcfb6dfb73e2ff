package dev.sorabatch.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * What an operator does to a batch (the batch API and the command line): cancel its waiting items, or queue its
 * failed, expired or uncertain items again as new attempts. Each runs in one transaction holding the batch row, so a
 * finalizer never writes the manifest of a batch half changed.
 */
public final class BatchActions {

    /** The outcome of an action: how many items it moved, or why it was refused (then nothing changed). */
    public record Outcome(int items, String refusal, int revision) {

        public boolean refused() {
            return refusal != null;
        }
    }

    private static final Map<ItemState, Move> RETRY = Map.of(ItemState.FAILED, Move.RETRY_FAILED,
            ItemState.EXPIRED, Move.RETRY_EXPIRED, ItemState.UNCERTAIN, Move.RETRY_UNCERTAIN);

    private static final String READING = "its file is still being read";
    /** The waiting items of one batch become CANCELLED (also those that come back to PENDING later: {@link Claims}). */
    static final String CANCEL_WAITING = "update item set state = '" + Move.CANCEL.to() + "', error_code = 'cancelled', "
            + "error_message = 'cancelled by the operator before it was sent', lease_owner = null "
            + "where batch_id = ? and state = '" + Move.CANCEL.from() + "'";

    private final Jdbc jdbc;
    private final Batches batches;

    BatchActions(Jdbc jdbc, Batches batches) {
        this.jdbc = jdbc;
        this.batches = batches;
    }

    /** PENDING → CANCELLED for every waiting item; items already at the provider go on (they are paid). */
    public Outcome cancel(long batchId) throws SQLException {
        ItemState.check(Move.CANCEL.from(), Move.CANCEL.to());
        return inTransaction(batchId, state -> state == BatchState.INGESTING ? READING : null, c -> {
            int n = update(c, CANCEL_WAITING, batchId);
            update(c, "update batch set cancelled_at = coalesce(cancelled_at, ?) where id = ?", jdbc.now(), batchId);
            return n;
        });
    }

    /**
     * Items in {@code states} (each one of {@link ItemState#RETRYABLE}) back to PENDING as a new attempt: a fresh
     * row as far as the workers know (no job id, no error, no counts of failed calls). A batch whose manifest was
     * written opens again with the next revision, so its manifest is written again when these items end.
     */
    public Outcome retry(long batchId, Set<ItemState> states) throws SQLException {
        for (ItemState s : states) {
            if (!RETRY.containsKey(s)) {
                throw new IllegalArgumentException(s + " items cannot be retried (only " + ItemState.RETRYABLE + ")");
            }
            Move move = RETRY.get(s);
            ItemState.check(move.from(), move.to());
        }
        return inTransaction(batchId, state -> switch (state) {
            case INGESTING -> READING;
            case FINALIZING -> "its manifest is being written; try again in a moment";
            default -> null;
        }, c -> {
            int n = update(c, "update item set state = '" + ItemState.PENDING + "', attempt = attempt + 1, "
                    + "attempts = 0, failures = 0, reconcile_tries = 0, progress = 0, provider_job_id = null, "
                    + "error_code = null, error_message = null, next_attempt_at = ?, lease_owner = null, "
                    + "submitting_at = null, submitted_at = null, completed_at = null, expires_at = null, "
                    + "stored_at = null where batch_id = ? and state in " + ItemState.sqlList(states), jdbc.now(),
                    batchId);
            if (n > 0) {
                // the operator wants these sent, also in a batch cancelled before
                update(c, "update batch set cancelled_at = null where id = ?", batchId);
                update(c, "update batch set state = '" + BatchState.OPEN + "', revision = revision + 1, "
                        + "finished_at = null, finalize_failures = 0, finalize_error = null, lease_until = null "
                        + "where id = ? and state in ('" + BatchState.FINALIZED + "', '" + BatchState.FINALIZE_FAILED
                        + "')", batchId);
            }
            return n;
        });
    }

    private interface Change {
        int apply(Connection c) throws SQLException;
    }

    private Outcome inTransaction(long batchId, Function<BatchState, String> refusalIn, Change change) throws SQLException {
        try (Connection c = jdbc.connection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                BatchState state;
                try (PreparedStatement ps = c.prepareStatement("select state from batch where id = ? for update")) {
                    ps.setLong(1, batchId);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            throw new IllegalArgumentException("no batch " + batchId);
                        }
                        state = BatchState.valueOf(rs.getString(1));
                    }
                }
                String refusal = refusalIn.apply(state);
                int n = refusal == null ? change.apply(c) : 0;
                c.commit();
                return new Outcome(n, refusal, batches.revision(batchId));
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        }
    }

    private static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Jdbc.bind(ps, args);
            return ps.executeUpdate();
        }
    }
}

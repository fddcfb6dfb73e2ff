package dev.sorabatch.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every change of an item after ingest. A change of state is a {@link Move}, checked against
 * {@link ItemState#NEXT} before it runs ({@link IllegalStateException} for a forbidden one: a bug); a change
 * within a state (a reschedule) is refused for a terminal one. Each is a compare-and-set on the expected state,
 * committed before the method returns, and returns false when the item had left that state meanwhile.
 */
public final class ItemTransitions {

    private static final String REMIX_SOURCES = ItemState.sqlList(EnumSet.of(ItemState.STORED, ItemState.COMPLETED));

    private final Jdbc jdbc;

    ItemTransitions(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** {@code move} with {@code set} (a list of {@code column = ?} and the like) and its arguments. */
    private boolean move(long id, Move move, String set, Object... args) throws SQLException {
        ItemState.check(move.from(), move.to());
        Object[] all = new Object[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = id;
        all[args.length + 1] = move.from().name();
        boolean moved = jdbc.update("update item set state = '" + move.to() + "', " + set
                + " where id = ? and state = ?", all) == 1;
        if (moved && SpendLedger.RELEASING.contains(move)) {
            jdbc.update(SpendLedger.RELEASE, id);
        }
        return moved;
    }

    /** A change within {@code state}. */
    private boolean stay(long id, ItemState state, String set, Object... args) throws SQLException {
        ItemState.checkStay(state);
        Object[] all = new Object[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = id;
        all[args.length + 1] = state.name();
        return jdbc.update("update item set " + set + " where id = ? and state = ?", all) == 1;
    }

    /**
     * SUBMITTING → SUBMITTED with the provider's job id: the create's answer, or the job reconciliation found for a
     * lost one ({@code submittedAt} is then the job's creation). False when the item left SUBMITTING meanwhile or
     * the job id is already held by another item (then the caller reconciles).
     */
    public boolean accepted(long id, String jobId, long submittedAt, long nextPollAt) throws SQLException {
        return accepted(id, jobId, null, submittedAt, nextPollAt);
    }

    /** As above, keeping the adapter's {@code handle} of the job (null when its id alone reaches it). */
    public boolean accepted(long id, String jobId, String handle, long submittedAt, long nextPollAt)
            throws SQLException {
        try {
            return move(id, Move.ACCEPTED, "provider_job_id = ?, provider_job_handle = ?, submitted_at = ?, "
                    + "progress = 0, failures = 0, next_attempt_at = ?, error_code = null, error_message = null",
                    jobId, handle, submittedAt, nextPollAt);
        } catch (SQLException e) {
            if (Jdbc.isUniqueViolation(e)) {
                return false;
            }
            throw e;
        }
    }

    /** SUBMITTING → PENDING: the create certainly did not happen; try again at {@code nextAt}. */
    public boolean backToPending(long id, long nextAt, String code, String message) throws SQLException {
        return move(id, Move.NOT_CREATED, "next_attempt_at = ?, failures = failures + 1, error_code = ?, "
                + "error_message = ?", nextAt, code, Jdbc.truncate(message));
    }

    /** SUBMITTING → PENDING without counting an attempt: the create never left (e.g. credentials refused). */
    public boolean releaseUnsent(long id, long nextAt, String code, String message) throws SQLException {
        return move(id, Move.NOT_CREATED, "next_attempt_at = ?, attempts = attempts - 1, error_code = ?, "
                + "error_message = ?", nextAt, code, Jdbc.truncate(message));
    }

    /** Stays in {@code state}; next try at {@code nextAt}; the error is kept on the row. */
    public boolean reschedule(long id, ItemState state, long nextAt, String code, String message) throws SQLException {
        return stay(id, state, "next_attempt_at = ?, failures = failures + 1, error_code = ?, error_message = ?",
                nextAt, code, Jdbc.truncate(message));
    }

    /** Reconciliation could not settle a SUBMITTING item yet. */
    public boolean reconcileLater(long id, long nextAt, String code, String message) throws SQLException {
        return stay(id, ItemState.SUBMITTING, "next_attempt_at = ?, reconcile_tries = reconcile_tries + 1, "
                + "error_code = ?, error_message = ?", nextAt, code, Jdbc.truncate(message));
    }

    /** A status check that found the job still running. */
    public boolean recordProgress(long id, int progress, long nextPollAt) throws SQLException {
        return stay(id, ItemState.SUBMITTED, "progress = ?, status_checks = status_checks + 1, next_attempt_at = ?, "
                + "failures = 0, error_code = null, error_message = null", progress, nextPollAt);
    }

    /** SUBMITTED → COMPLETED; due for fetching at once, since content URLs expire. */
    public boolean completed(long id, long completedAt, Long expiresAt) throws SQLException {
        return move(id, Move.JOB_COMPLETED, "progress = 100, status_checks = status_checks + 1, completed_at = ?, "
                + "expires_at = ?, next_attempt_at = ?, failures = 0, error_code = null, error_message = null",
                completedAt, expiresAt, jdbc.now());
    }

    /** COMPLETED → STORED with where the video (and thumbnail) went. */
    public boolean stored(long id, String videoPath, String thumbnailPath, long bytes, String sha256)
            throws SQLException {
        return move(id, Move.CONTENT_STORED, "stored_at = ?, video_path = ?, thumbnail_path = ?, bytes = ?, "
                + "sha256 = ?, error_code = null, error_message = null", jdbc.now(), videoPath, thumbnailPath, bytes,
                sha256);
    }

    /** A move to a terminal state, keeping the reason; a status call that told it counts as one. */
    public boolean finish(long id, Move move, String code, String message) throws SQLException {
        if (!move.to().terminal()) {
            throw new IllegalArgumentException(move + " does not end the item");
        }
        return move(id, move, "status_checks = status_checks + ?, error_code = ?, error_message = ?",
                move.from() == ItemState.SUBMITTED ? 1 : 0, code, Jdbc.truncate(message));
    }

    /** SUBMITTING → SKIPPED_BUDGET: never sent, so the claim's attempt is given back. */
    public boolean overBudget(long id, String message) throws SQLException {
        return move(id, Move.OVER_BUDGET, "attempts = attempts - 1, error_code = 'budget_exceeded', error_message = ?",
                Jdbc.truncate(message));
    }

    /** PENDING → PLANNED (dry run). */
    public boolean planned(long id) throws SQLException {
        return move(id, Move.PLANNED, "error_code = null, error_message = null");
    }

    /** What the probe of the item's stored video found (V7 {@code item_qa}); written before the item is STORED. */
    public void recordQa(long id, ClipReport report) throws SQLException {
        jdbc.update("delete from item_qa where item_id = ?", id); // a fetch tried again probes again
        jdbc.update("insert into item_qa (item_id, duration_ms, width, height, video_codec, audio_codec, flags) "
                + "values (?, ?, ?, ?, ?, ?, ?)", id, report.durationMillis(), report.width(),
                report.height(), report.videoCodec(), report.audioCodec(), report.flagsJson());
    }

    /** Which of these provider job ids already belong to an item. */
    public Set<String> heldJobIds(Collection<String> jobIds) throws SQLException {
        Set<String> held = new HashSet<>();
        if (jobIds.isEmpty()) {
            return held;
        }
        String marks = jobIds.stream().map(j -> "?").collect(Collectors.joining(","));
        try (Connection c = jdbc.connection();
             PreparedStatement ps = c.prepareStatement("select provider_job_id from item where provider_job_id in ("
                     + marks + ")")) {
            Jdbc.bind(ps, jobIds.toArray());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    held.add(rs.getString(1));
                }
            }
        }
        return held;
    }

    /** The provider job id of a stored item of an earlier batch, for {@code remix_of} given as an item id. */
    public Optional<String> jobIdOfRequest(String requestId) throws SQLException {
        try (Connection c = jdbc.connection();
             PreparedStatement ps = c.prepareStatement("select provider_job_id from item where request_id = ? "
                     + "and provider_job_id is not null and state in " + REMIX_SOURCES + " order by id desc")) {
            ps.setString(1, requestId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }
}

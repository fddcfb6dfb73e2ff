package dev.sorabatch.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * What a verified provider callback may do to the store (V9 migration): make its job's status check due now, once
 * per delivery. It never changes an item's state; the poll worker asks the provider and records what it says. Each
 * delivery is remembered in {@code webhook_delivery} under a unique key until a copy of it would be stale anyway,
 * so a replay is refused on whichever instance it reaches.
 */
public final class CallbackHints {

    /** What a callback found. */
    public enum Result {
        /** the job's status check is due now */
        DUE_NOW,
        /** the job is no longer waiting on the provider (fetched, finished, or not yet accepted): nothing changed */
        SETTLED,
        /** this delivery was taken before: nothing changed */
        REPLAYED,
        /** no item of that provider has that job: nothing changed, nothing remembered */
        UNKNOWN_JOB
    }

    private final Jdbc jdbc;

    CallbackHints(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Takes one verified delivery.
     *
     * @param deliveryKey what identifies the delivery among the provider's
     * @param validUntil  epoch millis until which it is remembered
     */
    public Result take(String provider, String deliveryKey, long validUntil, String jobId) throws SQLException {
        long now = jdbc.now();
        try (Connection c = jdbc.connection()) {
            Long id = null;
            String state = null;
            try (PreparedStatement ps = c.prepareStatement(
                    "select id, state from item where provider_job_id = ? and provider = ?")) {
                Jdbc.bind(ps, jobId, provider);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        id = rs.getLong(1);
                        state = rs.getString(2);
                    }
                }
            }
            if (id == null) {
                return Result.UNKNOWN_JOB;
            }
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                try (PreparedStatement prune = c.prepareStatement("delete from webhook_delivery where valid_until < ?")) {
                    Jdbc.bind(prune, now);
                    prune.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement("insert into webhook_delivery (provider, delivery_key, "
                        + "valid_until, received_at) values (?, ?, ?, ?)")) {
                    Jdbc.bind(ps, provider, deliveryKey, validUntil, now);
                    ps.executeUpdate();
                }
                Result result = Result.SETTLED;
                if (ItemState.SUBMITTED.name().equals(state)) {
                    // only ever brought forward: a check already due sooner keeps its time
                    try (PreparedStatement ps = c.prepareStatement("update item set next_attempt_at = ? where id = ? "
                            + "and state = '" + ItemState.SUBMITTED + "' and next_attempt_at > ?")) {
                        Jdbc.bind(ps, now, id, now);
                        ps.executeUpdate();
                    }
                    result = Result.DUE_NOW;
                }
                c.commit();
                return result;
            } catch (SQLException e) {
                c.rollback();
                if (Jdbc.isUniqueViolation(e)) {
                    return Result.REPLAYED;
                }
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        }
    }
}

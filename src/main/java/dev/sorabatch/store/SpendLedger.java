package dev.sorabatch.store;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.Set;

/**
 * The estimated cost of every create, reserved before it is sent (V7 migration). Every instance sharing the store
 * reserves through the one lock row, so a budget holds across instances: two creates never both take its last
 * dollar. A reservation is released when the create certainly was not made (the item went back to waiting, or the
 * provider refused it); a crash between those two steps leaves the reservation standing, which errs on the side of
 * spending less.
 */
public final class SpendLedger {

    /** Moves after which no create was made for the attempt: its reservation is given back. */
    static final Set<Move> RELEASING = EnumSet.of(Move.NOT_CREATED, Move.CREATE_FAILED);
    static final String RELEASE = "delete from spend_ledger where item_id = ?";

    /** What a reservation found. */
    public enum Reservation {
        /** reserved now, or held already from an earlier try of this attempt */
        RESERVED,
        /** it would pass the batch's budget */
        OVER_BATCH_BUDGET,
        /** it would pass the day's budget */
        OVER_DAY_BUDGET
    }

    private final Jdbc jdbc;

    SpendLedger(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Reserves {@code usd} for the item unless the batch's or the day's reserved total would then pass its limit.
     *
     * @param perBatch limit of the batch, null for none
     * @param perDay   limit of the UTC day, null for none
     */
    public Reservation reserve(long itemId, long batchId, BigDecimal usd, BigDecimal perBatch, BigDecimal perDay)
            throws SQLException {
        long now = jdbc.now();
        String day = utcDay(now);
        try (Connection c = jdbc.connection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                try (PreparedStatement lock = c.prepareStatement(
                        "select name from spend_lock where name = 'budget' for update"); ResultSet rs = lock.executeQuery()) {
                    rs.next();
                }
                Reservation result = Reservation.RESERVED;
                if (held(c, itemId)) {
                    c.commit();
                    return result;
                }
                if (!passes(sum(c, "batch_id = ?", batchId), usd, perBatch)) {
                    result = Reservation.OVER_BATCH_BUDGET;
                } else if (!passes(sum(c, "utc_day = ?", day), usd, perDay)) {
                    result = Reservation.OVER_DAY_BUDGET;
                } else {
                    try (PreparedStatement ps = c.prepareStatement("insert into spend_ledger (item_id, batch_id, utc_day, "
                            + "usd, reserved_at) values (?, ?, ?, ?, ?)")) {
                        Jdbc.bind(ps, itemId, batchId, day, usd, now);
                        ps.executeUpdate();
                    }
                }
                c.commit();
                return result;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        }
    }

    /** What the batch's creates are estimated to cost, as reserved. */
    public BigDecimal ofBatch(long batchId) throws SQLException {
        try (Connection c = jdbc.connection()) {
            return sum(c, "batch_id = ?", batchId);
        }
    }

    /** What the creates of the current UTC day are estimated to cost, across batches and instances. */
    public BigDecimal today() throws SQLException {
        try (Connection c = jdbc.connection()) {
            return sum(c, "utc_day = ?", utcDay(jdbc.now()));
        }
    }

    private static boolean passes(BigDecimal reserved, BigDecimal usd, BigDecimal limit) {
        return limit == null || reserved.add(usd).compareTo(limit) <= 0;
    }

    private static boolean held(Connection c, long itemId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select 1 from spend_ledger where item_id = ?")) {
            ps.setLong(1, itemId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static BigDecimal sum(Connection c, String where, Object arg) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select coalesce(sum(usd), 0) from spend_ledger where " + where)) {
            Jdbc.bind(ps, arg);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBigDecimal(1);
            }
        }
    }

    private static String utcDay(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).atZone(ZoneOffset.UTC).toLocalDate().toString();
    }
}

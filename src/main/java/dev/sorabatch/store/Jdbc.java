package dev.sorabatch.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import javax.sql.DataSource;

/** JDBC plumbing shared by the store's parts: connections, the clock, grouped commits, binding and row mapping. */
public final class Jdbc {

    static final String ITEM_COLUMNS = "id, batch_id, item_key, request_id, row_no, take, state, prompt, model, seconds, "
            + "size, remix_of, input_reference, metadata, provider_job_id, progress, attempts, status_checks, failures, "
            + "reconcile_tries, next_attempt_at, error_code, error_message, created_at, submitting_at, submitted_at, completed_at, "
            + "expires_at, stored_at, video_path, thumbnail_path, bytes, sha256, attempt, provider, provider_job_handle, "
            + "create_key, audio, aspect_ratio, resolution";

    private final DataSource dataSource;
    private final Clock clock;
    private final GroupCommit writes;
    /** Whether the store is PostgreSQL (else H2), once a connection told. */
    private volatile Boolean postgres;

    Jdbc(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.writes = new GroupCommit(dataSource);
    }

    long now() {
        return clock.millis();
    }

    Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    DataSource dataSource() {
        return dataSource;
    }

    /** The store is PostgreSQL, where a claim locks what it selects ({@link Claims}); else it is H2. */
    boolean postgres() throws SQLException {
        if (postgres == null) {
            try (Connection c = connection()) {
                postgres = "PostgreSQL".equals(c.getMetaData().getDatabaseProductName());
            }
        }
        return postgres;
    }

    /** One row update, committed before this returns (together with those of other threads: {@link GroupCommit}). */
    int update(String sql, Object... args) throws SQLException {
        return writes.update(sql, args);
    }

    int queryInt(String sql, Object... args) throws SQLException {
        try (Connection c = connection()) {
            return queryInt(c, sql, args);
        }
    }

    static int queryInt(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Statements run in one transaction. */
    interface Work<T> {
        T run() throws SQLException;
    }

    /** Runs {@code work} as one transaction on {@code c}: committed when it returns, rolled back when it throws. */
    static <T> T inTransaction(Connection c, Work<T> work) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            T result = work.run();
            c.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    List<Batch> queryBatches(String sql, Object... args) throws SQLException {
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            List<Batch> batches = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    batches.add(new Batch(rs.getLong("id"), rs.getString("name"), rs.getString("source"),
                            rs.getString("source_sha256"), rs.getString("provider"), BatchState.valueOf(rs.getString("state")),
                            rs.getInt("total_items"), rs.getLong("created_at"), longOrNull(rs, "finished_at"),
                            rs.getInt("finalize_failures"), rs.getString("finalize_error")));
                }
            }
            return batches;
        }
    }

    static List<Item> selectItems(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            return readItems(ps);
        }
    }

    static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a == null) {
                // of no stated type: PostgreSQL refuses a null typed VARCHAR for an integer column
                ps.setNull(i + 1, Types.NULL);
            } else if (a instanceof Long l) {
                ps.setLong(i + 1, l);
            } else if (a instanceof Integer n) {
                ps.setInt(i + 1, n);
            } else if (a instanceof Double d) {
                ps.setDouble(i + 1, d);
            } else if (a instanceof java.math.BigDecimal d) {
                ps.setBigDecimal(i + 1, d);
            } else if (a instanceof Boolean b) {
                ps.setBoolean(i + 1, b);
            } else {
                ps.setString(i + 1, a.toString());
            }
        }
    }

    static List<Item> readItems(PreparedStatement ps) throws SQLException {
        List<Item> items = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                items.add(readItem(rs));
            }
        }
        return items;
    }

    static Item readItem(ResultSet rs) throws SQLException {
        return new Item(rs.getLong("id"), rs.getLong("batch_id"), rs.getString("item_key"), rs.getString("request_id"),
                rs.getInt("row_no"), rs.getInt("take"), ItemState.valueOf(rs.getString("state")), rs.getString("prompt"),
                rs.getString("model"), intOrNull(rs, "seconds"), rs.getString("size"), rs.getString("remix_of"),
                rs.getString("input_reference"), rs.getString("metadata"), rs.getString("provider_job_id"),
                rs.getInt("progress"), rs.getInt("attempts"), rs.getInt("status_checks"), rs.getInt("failures"),
                rs.getInt("reconcile_tries"), rs.getLong("next_attempt_at"), rs.getString("error_code"), rs.getString("error_message"),
                rs.getLong("created_at"), longOrNull(rs, "submitting_at"), longOrNull(rs, "submitted_at"),
                longOrNull(rs, "completed_at"), longOrNull(rs, "expires_at"), longOrNull(rs, "stored_at"),
                rs.getString("video_path"), rs.getString("thumbnail_path"), longOrNull(rs, "bytes"),
                rs.getString("sha256"), rs.getInt("attempt"), rs.getString("provider"), rs.getString("provider_job_handle"),
                rs.getString("create_key"), booleanOrNull(rs, "audio"), rs.getString("aspect_ratio"),
                rs.getString("resolution"));
    }

    static Boolean booleanOrNull(ResultSet rs, String column) throws SQLException {
        boolean value = rs.getBoolean(column);
        return rs.wasNull() ? null : value;
    }

    static Long longOrNull(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    private static Integer intOrNull(ResultSet rs, String column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    /** A unique index refused the row (also inside a JDBC batch, whose drivers chain the cause). */
    static boolean isUniqueViolation(SQLException e) {
        return hasState(e, "23505"::equals);
    }

    /**
     * The database refused a value of the row itself (SQL state class 22, data exception, or 23, integrity
     * constraint), as opposed to being unavailable: writing the same row again can never succeed.
     */
    public static boolean refusedValue(SQLException e) {
        return hasState(e, state -> state.startsWith("22") || state.startsWith("23"));
    }

    private static boolean hasState(SQLException e, Predicate<String> test) {
        Throwable t = e;
        for (int hops = 0; t != null && hops < 10; hops++) {
            if (t instanceof SQLException s && s.getSQLState() != null && test.test(s.getSQLState())) {
                return true;
            }
            t = t instanceof SQLException s && s.getNextException() != null ? s.getNextException() : t.getCause();
        }
        return false;
    }

    static String truncate(String message) {
        return message == null || message.length() <= 4000 ? message : message.substring(0, 3997) + "...";
    }
}

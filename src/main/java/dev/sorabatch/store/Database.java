package dev.sorabatch.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the job store's connection pool and brings its schema up to date (Flyway). The pool makes every commit
 * durable before the call it guards is made, whatever store URL the user wrote:
 * <ul>
 * <li>H2 keeps commits in memory for up to 500 ms by default ({@code WRITE_DELAY}); a process killed in that time
 * loses them, and with them the record of a create that was already paid for. A {@code WRITE_DELAY} in the URL is
 * dropped and every connection runs {@code SET WRITE_DELAY 0}, then the first one reads the setting back from
 * {@code INFORMATION_SCHEMA.SETTINGS}: the store does not open unless it is 0. It is set on every connection, not
 * once, because H2 2.3 stores the setting in the file but does not apply it when it opens the file again: after a
 * restart the settings table says 0 while commits are delayed by 500 ms. Setting it needs the database's admin
 * rights (its creator has them, e.g. the default user {@code sa}); a user without them is refused.</li>
 * <li>In-memory H2 databases lose everything with the process, so they are refused unless
 * {@code allowVolatile}.</li>
 * <li>PostgreSQL sessions never run with {@code synchronous_commit} below {@code on} (a stronger
 * {@code remote_apply} is kept).</li>
 * </ul>
 */
public final class Database {

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    /** Raises a session's synchronous_commit to on, unless it is the stronger remote_apply. */
    static final String POSTGRES_DURABLE_COMMIT = "select set_config('synchronous_commit', 'on', false) "
            + "where current_setting('synchronous_commit') <> 'remote_apply'";

    /** Run on every H2 connection; see the class comment for why not once. */
    static final String H2_DURABLE_COMMIT = "SET WRITE_DELAY 0";

    /** Versions of the migrations in {@code db/migration}: when the store has exactly these, Flyway is not run. */
    static final List<String> SCHEMA_VERSIONS = List.of("1", "2", "3", "4", "5", "6", "7", "8", "9", "10");

    private static final String H2 = "jdbc:h2:";
    private static final String POSTGRES = "jdbc:postgresql:";

    /** The job store cannot be opened as configured; the message says why, in one line. */
    public static class StoreException extends Exception {
        public StoreException(String message) {
            super(message);
        }
    }

    private Database() {
    }

    public static HikariDataSource open(StoreSettings options) throws StoreException {
        String url = durableUrl(options);
        // one connection of our own first: a bad path or password fails here in one line, not in the pool's log
        Connection first;
        try {
            first = DriverManager.getConnection(url, options.user(), options.password());
        } catch (SQLException e) {
            throw new StoreException("cannot be opened: " + firstLine(e));
        }
        try (first) {
            HikariConfig config = new HikariConfig();
            if (isH2(url)) {
                forceWriteDelayZero(first, options.user(), location(url));
                config.setConnectionInitSql(H2_DURABLE_COMMIT);
            }
            config.setJdbcUrl(url);
            config.setUsername(options.user());
            config.setPassword(options.password());
            config.setMaximumPoolSize(options.poolSize());
            config.setPoolName("sora-store");
            if (url.startsWith(POSTGRES)) {
                forceSynchronousCommit(first);
                config.setConnectionInitSql(POSTGRES_DURABLE_COMMIT);
            }
            return new HikariDataSource(config);
        } catch (SQLException | RuntimeException e) {
            throw new StoreException("cannot be opened: " + firstLine(e));
        }
    }

    /**
     * Brings the schema up to date. A store that already has every migration is left alone without starting
     * Flyway, whose class loading and scan of the jar cost about half a second of every start.
     */
    public static void migrate(DataSource dataSource) {
        if (!schemaCurrent(dataSource)) {
            Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        }
    }

    /**
     * Whether Flyway's history records exactly the migrations this build has, all successful. Flyway creates its
     * table with a quoted lower-case name on H2 and PostgreSQL alike, so it is queried quoted on both.
     */
    static boolean schemaCurrent(DataSource dataSource) {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select \"version\", \"success\" from \"flyway_schema_history\" "
                     + "where \"version\" is not null")) {
            Set<String> applied = new HashSet<>();
            while (rs.next()) {
                if (!rs.getBoolean(2)) {
                    return false; // a failed migration: Flyway reports it
                }
                applied.add(rs.getString(1));
            }
            return applied.equals(Set.copyOf(SCHEMA_VERSIONS));
        } catch (SQLException e) {
            return false; // no history yet
        }
    }

    /**
     * The most characters each text column of the item table holds, from the schema's own declaration, so that
     * validation and the store never disagree.
     */
    public static ColumnSizes itemColumns(DataSource dataSource) throws SQLException {
        Map<String, Integer> sizes = new HashMap<>();
        try (Connection c = dataSource.getConnection()) {
            DatabaseMetaData meta = c.getMetaData();
            String table = meta.storesUpperCaseIdentifiers() ? "ITEM" : "item";
            try (ResultSet rs = meta.getColumns(c.getCatalog(), c.getSchema(), table, null)) {
                while (rs.next()) {
                    int type = rs.getInt("DATA_TYPE");
                    if (type == Types.VARCHAR || type == Types.NVARCHAR || type == Types.CHAR || type == Types.CLOB
                            || type == Types.LONGVARCHAR) {
                        sizes.put(rs.getString("COLUMN_NAME"), (int) Math.min(Integer.MAX_VALUE, rs.getLong("COLUMN_SIZE")));
                    }
                }
            }
        }
        if (sizes.isEmpty()) {
            throw new SQLException("the item table's columns cannot be read from the schema");
        }
        return new ColumnSizes(sizes);
    }

    /** The URL the pool uses: an H2 URL without any {@code WRITE_DELAY} (every connection sets 0 itself). */
    static String durableUrl(StoreSettings options) throws StoreException {
        String url = options.url();
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith(POSTGRES)) {
            return url;
        }
        if (!lower.startsWith(H2)) {
            throw new StoreException("must be a jdbc:h2: or a jdbc:postgresql: URL");
        }
        if (volatileH2(lower) && !options.allowVolatile()) {
            throw new StoreException("is an in-memory database, which loses every job (and the record of what was "
                    + "paid for) when the process ends; use a file (jdbc:h2:file:<path>) or set "
                    + "sora.store.allow-volatile=true for a trial");
        }
        String[] parts = url.split(";");
        List<String> kept = Arrays.stream(parts).skip(1)
                .filter(p -> !p.trim().toUpperCase(Locale.ROOT).startsWith("WRITE_DELAY="))
                .toList();
        if (Arrays.stream(parts).skip(1).anyMatch(p -> p.trim().toUpperCase(Locale.ROOT).startsWith("WRITE_DELAY=")
                && !p.trim().substring("WRITE_DELAY=".length()).equals("0"))) {
            LOG.warn("The WRITE_DELAY in sora.store.url is ignored: commits are always written at once");
        }
        return kept.isEmpty() ? parts[0] : parts[0] + ";" + String.join(";", kept);
    }

    /** The folder an H2 file database lives in, for a writability check before H2 opens it; else empty. */
    public static Optional<Path> h2Folder(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        if (!lower.startsWith(H2) || volatileH2(lower)) {
            return Optional.empty();
        }
        String path = url.substring(H2.length()).split(";")[0];
        if (path.toLowerCase(Locale.ROOT).startsWith("file:")) {
            path = path.substring("file:".length());
        } else if (path.matches("^[a-zA-Z]{2,}:.*")) {
            return Optional.empty(); // tcp:, ssl:, nio:, zip:… : not a plain local file
        }
        if (path.startsWith("~")) {
            path = System.getProperty("user.home") + path.substring(1);
        }
        Path parent = Path.of(path).toAbsolutePath().normalize().getParent();
        return Optional.ofNullable(parent);
    }

    private static boolean volatileH2(String lowerUrl) {
        return lowerUrl.startsWith(H2 + "mem:") || lowerUrl.startsWith(H2 + "memfs:")
                || lowerUrl.startsWith(H2 + "memlzf:");
    }

    private static boolean isH2(String url) {
        return url.toLowerCase(Locale.ROOT).startsWith(H2);
    }

    private static void forceWriteDelayZero(Connection c, String user, String location) throws SQLException, StoreException {
        try (Statement st = c.createStatement()) {
            st.execute(H2_DURABLE_COMMIT);
        } catch (SQLException e) {
            throw new StoreException("is an H2 database on which user '" + user + "' may not SET WRITE_DELAY 0 ("
                    + firstLine(e) + "), so commits could be held in memory and lost with the process; use the "
                    + "database's admin user");
        }
        String after = writeDelay(c);
        if (!"0".equals(after)) {
            throw new StoreException("is an H2 database whose WRITE_DELAY stays " + after + " after SET WRITE_DELAY 0");
        }
        LOG.info("Job store: H2 {} with WRITE_DELAY 0 on every connection: each commit is written before the call "
                + "it guards", location);
    }

    /**
     * Raises the session's synchronous_commit as every pooled connection will, and reads it back: neither the server's
     * default, the role's or database's, nor an {@code options=-c synchronous_commit=off} in the URL outlasts it.
     */
    private static void forceSynchronousCommit(Connection c) throws SQLException, StoreException {
        try (Statement st = c.createStatement()) {
            st.execute(POSTGRES_DURABLE_COMMIT);
        }
        String after = synchronousCommit(c);
        if (!"on".equals(after) && !"remote_apply".equals(after)) {
            throw new StoreException("is a PostgreSQL database whose synchronous_commit stays " + after);
        }
        LOG.info("Job store: PostgreSQL with synchronous_commit {} on every connection: each commit is written before "
                + "the call it guards", after);
    }

    /** The session's synchronous_commit, as PostgreSQL reports it. */
    static String synchronousCommit(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("show synchronous_commit")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** The database's effective write delay in milliseconds, as H2 reports it. */
    static String writeDelay(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select setting_value from information_schema.settings "
                     + "where setting_name = 'WRITE_DELAY'")) {
            return rs.next() ? rs.getString(1).trim() : "unknown";
        }
    }

    /** The database part of the URL, without its parameters (which could hold a password). */
    private static String location(String url) {
        return url.split(";")[0].substring(H2.length());
    }

    static String firstLine(Throwable e) {
        Throwable t = e;
        while (t.getMessage() == null && t.getCause() != null) {
            t = t.getCause();
        }
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline).trim();
    }
}

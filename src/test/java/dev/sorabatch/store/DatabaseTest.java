package dev.sorabatch.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

import com.zaxxer.hikari.HikariDataSource;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sorabatch.PostgresFixture;

/**
 * Every commit is durable whatever store URL the user writes: H2 runs with WRITE_DELAY 0 or does not open, and a
 * PostgreSQL session with synchronous_commit on.
 */
class DatabaseTest {

    @TempDir
    Path dir;

    private static StoreSettings options(String url) {
        return new StoreSettings(url, "sa", "", 2, false);
    }

    /** What the open database really does, which after a reopen is not what INFORMATION_SCHEMA says. */
    private static int appliedWriteDelay(Connection c) throws Exception {
        SessionLocal session = (SessionLocal) c.unwrap(JdbcConnection.class).getSession();
        return session.getDatabase().getStore().getMvStore().getAutoCommitDelay();
    }

    @Test
    void aUserUrlWithoutWriteDelayEndsWithWriteDelayZero() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("jobs");
        try (HikariDataSource ds = Database.open(options(url)); Connection c = ds.getConnection()) {
            assertThat(Database.writeDelay(c)).as("INFORMATION_SCHEMA.SETTINGS").isEqualTo("0");
            assertThat(appliedWriteDelay(c)).as("applied by the store").isZero();
        }
    }

    @Test
    void writeDelayZeroIsAppliedAgainWhenTheFileIsOpenedAgain() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("jobs");
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement st = c.createStatement()) {
            st.execute("SET WRITE_DELAY 0"); // kept in the file, but not applied on the next open
        }
        try (Connection plain = DriverManager.getConnection(url, "sa", "")) {
            assertThat(Database.writeDelay(plain)).isEqualTo("0");
            assertThat(appliedWriteDelay(plain)).as("H2's own reopen").isPositive();
        }
        try (HikariDataSource ds = Database.open(options(url)); Connection c = ds.getConnection()) {
            assertThat(appliedWriteDelay(c)).as("applied by the store").isZero();
        }
    }

    @Test
    void aWriteDelayAskedForInTheUrlIsOverruled() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("jobs") + ";WRITE_DELAY=500;MODE=Regular";
        assertThat(Database.durableUrl(options(url))).isEqualTo("jdbc:h2:file:" + dir.resolve("jobs") + ";MODE=Regular");
        try (HikariDataSource ds = Database.open(options(url)); Connection c = ds.getConnection()) {
            assertThat(appliedWriteDelay(c)).isZero();
        }
    }

    @Test
    void aUserWhoMayNotSetWriteDelayIsRefused() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("shared");
        try (Connection admin = DriverManager.getConnection(url + ";WRITE_DELAY=500", "sa", "");
             Statement st = admin.createStatement()) {
            st.execute("create user worker password 'pw'");
        }
        assertThatThrownBy(() -> Database.open(new StoreSettings(url, "worker", "pw", 2, false)))
                .isInstanceOf(Database.StoreException.class)
                .hasMessageContaining("'worker'").hasMessageContaining("SET WRITE_DELAY 0")
                .hasMessageContaining("admin").hasMessageNotContaining("\n");
    }

    @Test
    void inMemoryStoresAreRefusedUnlessAllowed() throws Exception {
        assertThatThrownBy(() -> Database.open(options("jdbc:h2:mem:jobs")))
                .isInstanceOf(Database.StoreException.class).hasMessageContaining("sora.store.allow-volatile");
        try (HikariDataSource ds = Database.open(new StoreSettings("jdbc:h2:mem:jobs", "sa", "", 2, true));
             Connection c = ds.getConnection()) {
            assertThat(appliedWriteDelay(c)).isZero();
        }
    }

    @Test
    void otherDatabasesAreRefusedAndPostgresUrlsAreKeptAsWritten() throws Exception {
        assertThatThrownBy(() -> Database.durableUrl(options("jdbc:mysql://db/jobs")))
                .hasMessageContaining("jdbc:postgresql:");
        assertThat(Database.durableUrl(options("jdbc:postgresql://db/jobs?ssl=true")))
                .isEqualTo("jdbc:postgresql://db/jobs?ssl=true");
    }

    @Test
    void theFolderOfAnH2FileIsKnownBeforeH2OpensIt() {
        assertThat(Database.h2Folder("jdbc:h2:file:" + dir.resolve("a/jobs") + ";AUTO_SERVER=TRUE"))
                .contains(dir.resolve("a"));
        assertThat(Database.h2Folder("jdbc:h2:./data/jobs")).contains(Path.of("data").toAbsolutePath());
        assertThat(Database.h2Folder("jdbc:h2:tcp://db/jobs")).isEmpty();
        assertThat(Database.h2Folder("jdbc:h2:mem:jobs")).isEmpty();
    }

    @Test
    void aPostgresSessionCommitsSynchronouslyWhateverTheServerAndTheUrlSay() throws Exception {
        PostgresFixture.Db db = PostgresFixture.freshDatabase();
        try (Connection plain = DriverManager.getConnection(db.url(), db.user(), db.password())) {
            assertThat(Database.synchronousCommit(plain)).as("the server's default").isEqualTo("off");
        }
        String url = db.url() + "?options=-c%20synchronous_commit=off";
        try (Connection asked = DriverManager.getConnection(url, db.user(), db.password())) {
            assertThat(Database.synchronousCommit(asked)).as("what the URL asks for").isEqualTo("off");
        }
        try (HikariDataSource ds = Database.open(new StoreSettings(url, db.user(), db.password(), 3, false))) {
            for (int i = 0; i < 3; i++) { // every connection of the pool, not only the first
                try (Connection c = ds.getConnection()) {
                    assertThat(Database.synchronousCommit(c)).isEqualTo("on");
                }
            }
        }
    }
}

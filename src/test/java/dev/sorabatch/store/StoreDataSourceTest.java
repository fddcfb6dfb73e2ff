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

/** Every commit is durable whatever store URL the user writes: H2 runs with WRITE_DELAY 0 or does not open. */
class StoreDataSourceTest {

    @TempDir
    Path dir;

    private static StoreDataSource.Options options(String url) {
        return new StoreDataSource.Options(url, "sa", "", 2, false);
    }

    /** What the open database really does, which after a reopen is not what INFORMATION_SCHEMA says. */
    private static int appliedWriteDelay(Connection c) throws Exception {
        SessionLocal session = (SessionLocal) c.unwrap(JdbcConnection.class).getSession();
        return session.getDatabase().getStore().getMvStore().getAutoCommitDelay();
    }

    @Test
    void aUserUrlWithoutWriteDelayEndsWithWriteDelayZero() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("jobs");
        try (HikariDataSource ds = StoreDataSource.open(options(url)); Connection c = ds.getConnection()) {
            assertThat(StoreDataSource.writeDelay(c)).as("INFORMATION_SCHEMA.SETTINGS").isEqualTo("0");
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
            assertThat(StoreDataSource.writeDelay(plain)).isEqualTo("0");
            assertThat(appliedWriteDelay(plain)).as("H2's own reopen").isPositive();
        }
        try (HikariDataSource ds = StoreDataSource.open(options(url)); Connection c = ds.getConnection()) {
            assertThat(appliedWriteDelay(c)).as("applied by the store").isZero();
        }
    }

    @Test
    void aWriteDelayAskedForInTheUrlIsOverruled() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("jobs") + ";WRITE_DELAY=500;MODE=Regular";
        assertThat(StoreDataSource.durableUrl(options(url))).isEqualTo("jdbc:h2:file:" + dir.resolve("jobs") + ";MODE=Regular");
        try (HikariDataSource ds = StoreDataSource.open(options(url)); Connection c = ds.getConnection()) {
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
        assertThatThrownBy(() -> StoreDataSource.open(new StoreDataSource.Options(url, "worker", "pw", 2, false)))
                .isInstanceOf(StoreDataSource.StoreException.class)
                .hasMessageContaining("'worker'").hasMessageContaining("SET WRITE_DELAY 0")
                .hasMessageContaining("admin").hasMessageNotContaining("\n");
    }

    @Test
    void inMemoryStoresAreRefusedUnlessAllowed() throws Exception {
        assertThatThrownBy(() -> StoreDataSource.open(options("jdbc:h2:mem:jobs")))
                .isInstanceOf(StoreDataSource.StoreException.class).hasMessageContaining("sora.store.allow-volatile");
        try (HikariDataSource ds = StoreDataSource.open(new StoreDataSource.Options("jdbc:h2:mem:jobs", "sa", "", 2, true));
             Connection c = ds.getConnection()) {
            assertThat(appliedWriteDelay(c)).isZero();
        }
    }

    @Test
    void otherDatabasesAreRefusedAndPostgresUrlsAreKeptAsWritten() throws Exception {
        assertThatThrownBy(() -> StoreDataSource.durableUrl(options("jdbc:mysql://db/jobs")))
                .hasMessageContaining("jdbc:postgresql:");
        assertThat(StoreDataSource.durableUrl(options("jdbc:postgresql://db/jobs?ssl=true")))
                .isEqualTo("jdbc:postgresql://db/jobs?ssl=true");
    }

    @Test
    void theFolderOfAnH2FileIsKnownBeforeH2OpensIt() {
        assertThat(StoreDataSource.h2Folder("jdbc:h2:file:" + dir.resolve("a/jobs") + ";AUTO_SERVER=TRUE"))
                .contains(dir.resolve("a"));
        assertThat(StoreDataSource.h2Folder("jdbc:h2:./data/jobs")).contains(Path.of("data").toAbsolutePath());
        assertThat(StoreDataSource.h2Folder("jdbc:h2:tcp://db/jobs")).isEmpty();
        assertThat(StoreDataSource.h2Folder("jdbc:h2:mem:jobs")).isEmpty();
    }
}

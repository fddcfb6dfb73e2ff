package dev.sorabatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import javax.sql.DataSource;
import java.util.Map;

import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store is durable on the URL a user writes, not only on the default one. */
class StoreDurabilityTest {

    @Test
    void aUserWrittenStoreUrlRunsWithWriteDelayZero(@TempDir Path dir) throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("jobs");
        try (Pipeline p = Pipeline.start(dir, Map.of("sora.store.url", url))) {
            // same JVM, same file: this connection joins the pipeline's open database
            try (Connection c = DriverManager.getConnection(url, "sa", "")) {
                SessionLocal session = (SessionLocal) c.unwrap(JdbcConnection.class).getSession();
                assertThat(session.getDatabase().getWriteDelay()).as("effective WRITE_DELAY").isZero();
            }
        }
    }

    @Test
    void aPipelineOnPostgresCommitsSynchronouslyThoughServerAndUrlSayOff(@TempDir Path dir) throws Exception {
        PostgresFixture.Db db = PostgresFixture.freshDatabase();
        try (Pipeline p = Pipeline.start(dir, Map.of("sora.store.url", db.url() + "?options=-c%20synchronous_commit=off",
                "sora.store.user", db.user(), "sora.store.password", db.password()))) {
            DataSource store = p.camel().getRegistry().lookupByNameAndType("storeDataSource", DataSource.class);
            try (Connection c = store.getConnection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("select current_setting('synchronous_commit'), "
                         + "(select reset_val from pg_settings where name = 'synchronous_commit')")) {
                rs.next();
                assertThat(rs.getString(2)).as("what the server and the URL ask for").isEqualTo("off");
                assertThat(rs.getString(1)).as("the pipeline's session").isEqualTo("on");
            }
        }
    }

    @Test
    void anInMemoryStoreIsRefused(@TempDir Path dir) {
        assertThatThrownBy(() -> Pipeline.start(dir, Map.of("sora.store.url", "jdbc:h2:mem:jobs")).close())
                .satisfies(e -> assertThat(Application.reason(e)).contains("sora.store.url")
                        .contains("sora.store.allow-volatile"));
    }
}

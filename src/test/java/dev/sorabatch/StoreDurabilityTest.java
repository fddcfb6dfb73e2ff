package dev.sorabatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
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
    void anInMemoryStoreIsRefused(@TempDir Path dir) {
        assertThatThrownBy(() -> Pipeline.start(dir, Map.of("sora.store.url", "jdbc:h2:mem:jobs")).close())
                .satisfies(e -> assertThat(Application.reason(e)).contains("sora.store.url")
                        .contains("sora.store.allow-volatile"));
    }
}

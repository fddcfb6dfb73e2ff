package dev.sorabatch.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.stream.Stream;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start-up shortcut past Flyway must know every migration, or a new one would never be applied. */
class JobStoreSchemaTest {

    @Test
    void theKnownSchemaVersionsAreExactlyTheMigrationsInTheBuild() throws Exception {
        URL folder = Database.class.getClassLoader().getResource("db/migration");
        try (Stream<Path> files = Files.list(Path.of(folder.toURI()))) {
            assertThat(files.map(f -> f.getFileName().toString()).filter(n -> n.matches("V\\d+__.*\\.sql"))
                    .map(n -> n.substring(1, n.indexOf("__"))))
                    .as("Database.SCHEMA_VERSIONS (add a new migration's version there)")
                    .containsExactlyInAnyOrderElementsOf(Database.SCHEMA_VERSIONS);
        }
    }

    @Test
    void aStoreIsCurrentOnceMigratedAndNotBefore(@TempDir Path dir) throws Exception {
        try (HikariDataSource ds = Database.open(new StoreSettings("jdbc:h2:file:" + dir.resolve("jobs"),
                "sa", "", 2, false))) {
            JobStore store = new JobStore(ds, Clock.systemUTC());
            assertThat(Database.schemaCurrent(ds)).isFalse();
            store.migrate();
            assertThat(Database.schemaCurrent(ds)).isTrue();
            store.migrate(); // nothing to do, and no error
            assertThat(store.batches().unfinished()).isEmpty();
        }
    }
}

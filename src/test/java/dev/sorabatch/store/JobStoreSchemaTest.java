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
        URL folder = JobStore.class.getClassLoader().getResource("db/migration");
        try (Stream<Path> files = Files.list(Path.of(folder.toURI()))) {
            assertThat(files.map(f -> f.getFileName().toString()).filter(n -> n.matches("V\\d+__.*\\.sql"))
                    .map(n -> n.substring(1, n.indexOf("__"))))
                    .as("JobStore.SCHEMA_VERSIONS (add a new migration's version there)")
                    .containsExactlyInAnyOrderElementsOf(JobStore.SCHEMA_VERSIONS);
        }
    }

    @Test
    void aStoreIsCurrentOnceMigratedAndNotBefore(@TempDir Path dir) throws Exception {
        try (HikariDataSource ds = StoreDataSource.open(new StoreDataSource.Options("jdbc:h2:file:" + dir.resolve("jobs"),
                "sa", "", 2, false))) {
            JobStore store = new JobStore(ds, Clock.systemUTC());
            assertThat(store.schemaCurrent()).isFalse();
            store.migrate();
            assertThat(store.schemaCurrent()).isTrue();
            store.migrate(); // nothing to do, and no error
            assertThat(store.unfinishedBatches()).isEmpty();
        }
    }
}

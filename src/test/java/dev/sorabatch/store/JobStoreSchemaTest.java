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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.sorabatch.PostgresFixture;
import dev.sorabatch.StoreFixture;

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

    @ParameterizedTest
    @EnumSource(StoreFixture.Engine.class)
    void aStoreIsCurrentOnceMigratedAndNotBefore(StoreFixture.Engine engine, @TempDir Path dir) throws Exception {
        StoreSettings settings = engine == StoreFixture.Engine.H2
                ? new StoreSettings("jdbc:h2:file:" + dir.resolve("jobs"), "sa", "", 2, false)
                : PostgresFixture.freshDatabase().settings(2);
        try (HikariDataSource ds = Database.open(settings)) {
            JobStore store = new JobStore(ds, Clock.systemUTC());
            assertThat(Database.schemaCurrent(ds)).isFalse();
            store.migrate();
            assertThat(Database.schemaCurrent(ds)).isTrue();
            store.migrate(); // nothing to do, and no error
            assertThat(store.batches().unfinished()).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(StoreFixture.Engine.class)
    void columnLimitsAreReadFromTheSchemaOnEitherDatabase(StoreFixture.Engine engine, @TempDir Path dir)
            throws Exception {
        try (StoreFixture fixture = new StoreFixture(engine, dir, Clock.systemUTC())) {
            ColumnSizes columns = fixture.store.itemColumns();
            assertThat(columns.of("request_id")).isEqualTo(1000);
            assertThat(columns.of("model")).isEqualTo(200);
            assertThat(columns.of("size")).isEqualTo(20);
            assertThat(columns.of("prompt")).isEqualTo(20_000);
            assertThat(columns.of("metadata")).isEqualTo(20_000);
            assertThat(columns.of("input_reference")).as("a large text type").isGreaterThan(100_000_000);
        }
    }
}

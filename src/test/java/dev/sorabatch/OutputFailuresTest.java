package dev.sorabatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import dev.sorabatch.fetch.FetchWorker;
import dev.sorabatch.lifecycle.RunControl;
import dev.sorabatch.store.BatchState;

/** Output that cannot be written is loud: logged with its cause, kept on the item, and never an endless loop. */
class OutputFailuresTest {

    @TempDir
    Path dir;

    private final ListAppender<ILoggingEvent> fetchLog = new ListAppender<>();

    @BeforeEach
    void listen() {
        fetchLog.start();
        ((Logger) LoggerFactory.getLogger(FetchWorker.class)).addAppender(fetchLog);
    }

    @AfterEach
    void stopListening() {
        ((Logger) LoggerFactory.getLogger(FetchWorker.class)).detachAppender(fetchLog);
    }

    @Test
    void aVideoThatCannotBeWrittenIsLoggedAndEndsWithTheRealCause() throws Exception {
        // a file where the batch's videos folder must go: every video write fails, the manifest can still be written
        Files.createDirectories(dir.resolve("outbox/blocked"));
        Files.writeString(dir.resolve("outbox/blocked/videos"), "in the way");
        try (Pipeline p = Pipeline.start(dir, Map.of("sora.simulator.content-expiry", "3s"))) {
            p.drop("blocked.csv", "prompt\nA lighthouse beam sweeping the fog\n");
            JsonNode manifest = p.awaitManifest("blocked", Duration.ofSeconds(60));

            JsonNode item = manifest.path("items").get(0);
            assertThat(item.path("status").asText()).isEqualTo("expired");
            assertThat(item.path("error").path("code").asText()).isEqualTo("content_expired");
            assertThat(item.path("error").path("message").asText())
                    .contains("expired before it could be stored").contains("last failure")
                    .contains(dir.resolve("outbox/blocked/videos").toString());
        }
        List<ILoggingEvent> warnings = fetchLog.list.stream().filter(e -> e.getLevel() == Level.WARN).toList();
        assertThat(warnings).as("a WARN line per failed write").hasSizeGreaterThanOrEqualTo(2);
        assertThat(warnings.get(0).getFormattedMessage()).contains("blocked/1").contains("outbox/blocked/videos");
    }

    @Test
    void aManifestThatCannotBeWrittenEndsItsBatchAndNoOtherOneAndOnceModeExits3() throws Exception {
        // a non-empty folder where a.csv's manifest.json must go: it can never be written
        Files.createDirectories(dir.resolve("outbox/a/manifest.json/occupied"));
        Files.createDirectories(dir.resolve("inbox"));
        // rows that are rejected at ingest: both batches are ready for their manifest at once, in the same pass
        Files.writeString(dir.resolve("inbox/a.csv"), "prompt,seconds\nA fox in fresh snow,5\n");
        Files.writeString(dir.resolve("inbox/b.csv"), "prompt,seconds\nA heron over a river at dawn,5\n");
        try (Pipeline p = Pipeline.start(dir, Map.of("sora.once", "true",
                // one pass after both files are in; a short lease puts a in every later pass too
                "sora.workers.finalize-period", "3s",
                "sora.workers.lease", "1s",
                "sora.retry.free.initial-delay", "100",
                "sora.retry.free.max-delay", "300",
                "sora.retry.free.max-attempts", "3"))) {
            JsonNode b = p.awaitManifest("b", Duration.ofSeconds(30));
            assertThat(b.path("counts").path("rejected").asInt()).isEqualTo(1);

            await("once mode ends").atMost(Duration.ofSeconds(30)).until(() -> p.camel().isStopped());
            assertThat(RunControl.exitCode()).isEqualTo(RunControl.EXIT_INCOMPLETE);
        }
        // the store as the run left it
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("store/sora"), "sa", "");
             ResultSet rs = c.createStatement().executeQuery("select state, finalize_failures, finalize_error "
                     + "from batch where name = 'a'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo(BatchState.FINALIZE_FAILED.name());
            assertThat(rs.getInt(2)).isEqualTo(3);
            assertThat(rs.getString(3)).contains("manifest.json").contains("Is a directory");
        }
    }
}

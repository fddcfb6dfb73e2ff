package dev.sorabatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sorabatch.cli.Cli;
import dev.sorabatch.store.ItemState;

/** status, cancel and retry on the jar's command line, against the store a stopped pipeline left. */
class CommandLineTest {

    /** What one command printed and its exit code. */
    record Run(int exit, String out, String err) {
    }

    private static Run cli(Path dir, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Map<String, String> store = Map.of("sora.store.url", "jdbc:h2:file:" + dir.resolve("store/sora") + ";WRITE_DELAY=0",
                "sora.data-dir", dir.toString());
        int exit = Cli.execute(args, Application.SETTINGS, store, () -> {
            throw new AssertionError("no pipeline run was asked for");
        }, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void cancelThenRetryFromTheCommandLine(@TempDir Path dir) throws Exception {
        Map<String, String> slow = new HashMap<>(Map.of("sora.max-in-flight", "1", "sora.simulator.generation-min", "3s",
                "sora.simulator.generation-max", "3s"));
        try (Pipeline p = Pipeline.start(dir, slow)) {
            p.drop("night.jsonl", BatchApiTest.rows(3, 4));
            await().atMost(Duration.ofSeconds(30)).until(() -> p.items("night").stream()
                    .filter(i -> i.state() == ItemState.SUBMITTED).count() == 1);
        }

        Run cancel = cli(dir, "cancel", "night");
        assertThat(cancel.exit()).as(cancel.err()).isZero();
        JsonNode answer = Pipeline.JSON.readTree(cancel.out());
        assertThat(answer.path("cancelled").asInt()).isEqualTo(2);
        assertThat(answer.path("at_provider").asInt()).isEqualTo(1);

        Run status = cli(dir, "status");
        assertThat(status.exit()).isZero();
        assertThat(status.out()).containsPattern("night\\s+open\\s+0/3\\s+0\\s+0\\s+0\\s+2\\s");

        // the job at the provider is gone with the simulator that had it: the item fails, the batch ends
        try (Pipeline p = Pipeline.start(dir, Map.of())) {
            JsonNode manifest = p.awaitManifest("night", Duration.ofSeconds(30));
            assertThat(manifest.path("counts").path("failed").asInt()).isEqualTo(1);
            assertThat(manifest.path("counts").path("cancelled").asInt()).isEqualTo(2);
            assertThat(p.simulator().stats().jobsCreated()).isZero();
        }

        Run wrongStatus = cli(dir, "retry", "night", "--status", "cancelled");
        assertThat(wrongStatus.exit()).isEqualTo(1);
        assertThat(wrongStatus.err()).contains("cannot retry status 'cancelled'");
        Run retry = cli(dir, "retry", "night", "--status", "failed,uncertain");
        assertThat(retry.exit()).as(retry.err()).isZero();
        assertThat(Pipeline.JSON.readTree(retry.out()).path("retried").asInt()).isEqualTo(1);
        assertThat(Pipeline.JSON.readTree(retry.out()).path("revision").asInt()).isEqualTo(2);

        try (Pipeline p = Pipeline.start(dir, Map.of())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> p.awaitManifest("night", Duration.ofSeconds(1))
                    .path("revision").asInt() == 2);
            JsonNode manifest = p.awaitManifest("night", Duration.ofSeconds(1));
            assertThat(manifest.path("counts").path("stored").asInt()).isEqualTo(1);
            assertThat(manifest.path("counts").path("cancelled").asInt()).isEqualTo(2);
            assertThat(p.simulator().stats().jobsCreated()).isEqualTo(1);
        }

        Run one = cli(dir, "status", "night");
        assertThat(Pipeline.JSON.readTree(one.out()).path("items")).hasSize(3);
    }

    @Test
    void helpAndMistakes(@TempDir Path dir) {
        Run help = cli(dir, "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("status", "cancel", "retry", "Exit codes");
        Run retryHelp = cli(dir, "retry", "--help");
        assertThat(retryHelp.out()).contains("--status");
        assertThat(cli(dir, "retry", "night").exit()).isEqualTo(2); // --status is required
        assertThat(cli(dir, "frobnicate").exit()).isEqualTo(2);
        Run missing = cli(dir, "cancel", "nosuch");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("no batch 'nosuch'");
    }
}

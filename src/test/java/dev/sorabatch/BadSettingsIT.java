package dev.sorabatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.sorabatch.aws.TestAws;

/**
 * A bad setting, or an output or store that cannot be used, stops the packaged jar at once with exit code 1 and
 * one line naming the setting and the reason: no stack trace, nothing left running.
 */
class BadSettingsIT {

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "sora.input | bogus://inbox | must be file:",
            "sora.output | ftp://somewhere | must be file:",
            "sora.max-in-flight | many | whole number",
            "sora.workers.period | 0 | above 0",
            "sora.workers.period | -1 | above 0",
            "sora.poll.min-interval | 1m | must not be above sora.poll.max-interval",
            "sora.input.schedule | 0 0 25 * * ? | Quartz cron",
            "sora.store.url | jdbc:h2:file:/proc/sora-store/jobs | cannot create folder /proc/sora-store",
            "sora.store.url | jdbc:h2:mem:jobs | in-memory",
            "sora.output | file:/proc/sora-output | cannot create folder /proc/sora-output",
            "sora.input-reference.allow-urls | https://images.example.com/ | must list host names"})
    void aBadSettingEndsTheRunWithExitCode1AndOneLine(String setting, String value, String reason) throws Exception {
        assertEndsWithOneLine(Map.of(setting, value), Map.of(), setting, reason);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "vertex | sora.vertex.project | is empty: name the Google Cloud project",
            "bedrock | sora.bedrock.output-uri | is empty: name the s3://bucket/prefix Bedrock writes the videos to",
            "pixazo | sora.pixazo.api-key | is empty: set PIXAZO_API_KEY",
            "simulator-bedrock | sora.aws.s3.endpoint | is empty: simulator-bedrock writes its videos"})
    void aCloudProviderWithoutWhatItNeedsEndsTheRunWithExitCode1AndOneLine(String provider, String setting,
                                                                        String reason) throws Exception {
        Map<String, String> settings = provider.equals("simulator-bedrock")
                ? Map.of("sora.provider", provider, "sora.bedrock.output-uri", "s3://videos/bedrock")
                : Map.of("sora.provider", provider);
        assertEndsWithOneLine(settings, Map.of(), setting, reason);
    }

    @Test
    void aDurationThatIsNoDurationInAnEnvironmentVariableIsNamed() throws Exception {
        assertEndsWithOneLine(Map.of(), Map.of("SORA_POLL_MAX_INTERVAL", "soon"), "sora.poll.max-interval",
                "must be a duration");
    }

    @Test
    void anOutputFolderThatIsAFileIsRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("outbox"), "not a folder");
        assertEndsWithOneLine(Map.of("sora.output", "file:" + file), Map.of(), "sora.output", "is a file");
    }

    @Test
    void anOutputBucketThatCannotBeReachedIsRefused() throws Exception {
        TestAws.useTestCredentials();
        assertEndsWithOneLine(Map.of("sora.output", "s3://no-such-bucket/out", "sora.aws.s3.endpoint",
                "http://127.0.0.1:9", "sora.aws.s3.path-style", "true",
                "aws.accessKeyId", "test", "aws.secretAccessKey", "test"), Map.of(), "sora.output",
                "could not store s3://no-such-bucket/out/.sora-batch-write-check");
    }

    private void assertEndsWithOneLine(Map<String, String> settings, Map<String, String> environment, String setting,
                                       String reason) throws Exception {
        Path log = dir.resolve("bad-settings.log");
        Files.deleteIfExists(log);
        Path jar = Path.of(System.getProperty("sora.jar", "target/sora-batch.jar")).toAbsolutePath();
        Process run = ChildPipeline.start(jar, dir, "256m", List.of(), settings, environment, log);
        try {
            assertThat(run.waitFor(60, TimeUnit.SECONDS)).as("exited").isTrue();
        } finally {
            run.destroyForcibly(); // a run that did not stop must not outlive the test
        }
        String output = Files.readString(log);
        assertThat(run.exitValue()).as("exit code; log:%n%s", output).isEqualTo(1);
        List<String> errors = output.lines().filter(l -> l.contains(" ERROR ")).toList();
        assertThat(errors).as("error lines; log:%n%s", output).hasSize(1);
        assertThat(errors.get(0)).contains("Cannot run").contains(setting).contains(reason);
        assertThat(output.lines().filter(l -> l.startsWith("\tat ") || l.startsWith("Caused by")))
                .as("stack trace lines").isEmpty();
    }
}

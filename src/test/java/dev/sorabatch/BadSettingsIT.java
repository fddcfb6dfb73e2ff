package dev.sorabatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/** A bad setting stops the packaged jar at once with exit code 1 and a message naming the setting. */
class BadSettingsIT {

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"sora.input, bogus://inbox", "sora.output, ftp://somewhere", "sora.max-in-flight, many",
            "sora.input-reference.allow-urls, https://images.example.com/"})
    void aBadSettingEndsTheRunWithExitCode1(String setting, String value) throws Exception {
        Path log = dir.resolve("bad-settings.log");
        Process run = ChildPipeline.start(dir, Map.of(setting, value), log);

        assertThat(run.waitFor(60, TimeUnit.SECONDS)).as("exited").isTrue();
        assertThat(run.exitValue()).isEqualTo(1);
        assertThat(Files.readString(log)).contains("Cannot run").contains(setting);
    }
}

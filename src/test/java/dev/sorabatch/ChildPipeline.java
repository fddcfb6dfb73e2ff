package dev.sorabatch;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The packaged pipeline ({@code target/sora-batch.jar}) as a separate JVM, as a user runs it. */
public final class ChildPipeline {

    private ChildPipeline() {
    }

    public static Process start(Path workDir, Map<String, String> settings, Path log) throws IOException {
        return start(workDir, "256m", settings, log);
    }

    /** @param environment variables added to the child's environment, e.g. AWS credentials */
    public static Process start(Path workDir, Map<String, String> settings, Map<String, String> environment, Path log)
            throws IOException {
        return start(jar(), workDir, "256m", List.of(), settings, environment, log);
    }

    /** The packaged jar the build made: {@code -Dsora.jar}, by default {@code target/sora-batch.jar}. */
    public static Path jar() {
        return Path.of(System.getProperty("sora.jar", "target/sora-batch.jar")).toAbsolutePath();
    }

    /** @param maxHeap the child's -Xmx, e.g. 128m */
    public static Process start(Path workDir, String maxHeap, Map<String, String> settings, Path log) throws IOException {
        return start(jar(), workDir, maxHeap, List.of(), settings, log);
    }

    /** @param jvmOptions further JVM options, before the settings, e.g. a GC log or a profiler */
    public static Process start(Path jar, Path workDir, String maxHeap, List<String> jvmOptions,
                                Map<String, String> settings, Path log) throws IOException {
        return start(jar, workDir, maxHeap, jvmOptions, settings, Map.of(), log);
    }

    /** @param environment variables added to the child's environment, e.g. {@code SORA_POLL_MAX_INTERVAL} */
    public static Process start(Path jar, Path workDir, String maxHeap, List<String> jvmOptions,
                                Map<String, String> settings, Map<String, String> environment, Path log)
            throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx" + maxHeap));
        command.addAll(jvmOptions);
        // each child's HTTP server on a free port: children and other builds on one machine never share one
        if (!settings.containsKey("sora.http.port")) {
            command.add("-Dsora.http.port=0");
        }
        settings.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().remove("OPENAI_API_KEY");
        pb.environment().remove("OPENAI_BASE_URL");
        pb.environment().putAll(environment);
        return pb.start();
    }
}

package dev.sorabatch.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.sorabatch.ChildPipeline;
import dev.sorabatch.TestSettings;
import dev.sorabatch.simulator.SimulatorServer;
import dev.sorabatch.simulator.SimulatorSettings;

/**
 * The {@code startup} scenario: how long a user waits from {@code java -jar} to work being done, measured from
 * outside. Three figures, each the median of several fresh JVMs:
 * <ul>
 * <li>first create, later run: once mode, a one-row file in the inbox, the job store already there (a cron or
 * Kubernetes CronJob run): JVM started → the create request arrives at the provider (simulator);</li>
 * <li>first create, first run: the same on an empty data folder (the store is created and migrated);</li>
 * <li>ready, service mode, the store already there: JVM started → the "Watching the source" line (its own
 * timestamp).</li>
 * </ul>
 * The simulator runs in this JVM, so the child pays nothing for it.
 */
final class StartupBench {

    /** Extra options for the child JVM, e.g. a class-data archive: {@code -Dbench.child-jvm-args=...}. */
    private static final List<String> JVM_OPTIONS = System.getProperty("bench.child-jvm-args", "").isBlank() ? List.of()
            : List.of(System.getProperty("bench.child-jvm-args").trim().split("\\s+"));

    private static final Pattern LOG_TIME = Pattern.compile("^(\\d\\d:\\d\\d:\\d\\d\\.\\d\\d\\d) .*Watching the source");

    private StartupBench() {
    }

    static Bench.Figures run(Path jar, Path dir, int runs) throws Exception {
        Bench.deleteTree(dir);
        List<Long> later = new ArrayList<>();
        List<Long> first = new ArrayList<>();
        List<Long> ready = new ArrayList<>();
        try (SimulatorServer simulator = new SimulatorServer(0, new SimulatorSettings().seed(1)
                .generationTime(Duration.ofMillis(100), Duration.ofMillis(100))).start()) {
            Map<String, String> settings = new LinkedHashMap<>(TestSettings.simulatorAt(simulator.baseUrl(), "bench"));
            settings.put("sora.poll.initial-interval", "100");
            for (int i = 0; i < runs; i++) {
                Path fresh = dir.resolve("first-" + i);
                first.add(firstCreate(jar, fresh, settings, simulator, "first run " + i));
                // the same data folder again: the store exists and is current
                later.add(firstCreate(jar, fresh, settings, simulator, "later run " + i));
                ready.add(ready(jar, fresh, settings));
            }
        }
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("runs", runs);
        detail.put("first_create_later_run_ms", later);
        detail.put("first_create_first_run_ms", first);
        detail.put("ready_service_mode_ms", ready);
        detail.put("median_first_create_later_run_ms", median(later));
        detail.put("median_first_create_first_run_ms", median(first));
        detail.put("median_ready_service_mode_ms", median(ready));
        System.out.printf("   first create (store exists) %d ms, first create (new store) %d ms, ready %d ms%n",
                median(later), median(first), median(ready));
        return new Bench.Figures("startup", Runtime.getRuntime().availableProcessors(), 1,
                median(later) / 1000.0, null, null, null, null, null, null, null, null, null, null, null, null, null,
                detail);
    }

    /** Once mode on a one-row file: JVM start → the create request reached the simulator, in ms. */
    private static long firstCreate(Path jar, Path dir, Map<String, String> settings, SimulatorServer simulator,
                                    String label) throws Exception {
        Path inbox = Files.createDirectories(dir.resolve("data/inbox"));
        // new content each time, so that it is not skipped as a duplicate
        Path file = Files.writeString(inbox.resolve(label.replace(' ', '-') + ".csv"),
                "prompt\nA lantern on a quiet pier in the " + label + "\n");
        // dropped a while ago, as for a scheduled run: not held back as a file still being written
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(60)));
        simulator.stats().reset();
        Map<String, String> once = new LinkedHashMap<>(settings);
        once.put("sora.once", "true");
        long started = System.currentTimeMillis();
        Process child = ChildPipeline.start(jar, dir, "256m", JVM_OPTIONS, once, dir.resolve("pipeline.log"));
        try {
            if (!child.waitFor(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException("startup: " + label + " did not end; see " + dir.resolve("pipeline.log"));
            }
        } finally {
            child.destroyForcibly();
        }
        List<Instant> creates = simulator.stats().createRequestTimes();
        if (creates.isEmpty()) {
            throw new IllegalStateException("startup: no create in " + label + "; see " + dir.resolve("pipeline.log"));
        }
        return creates.get(0).toEpochMilli() - started;
    }

    /** Service mode: JVM start → the pipeline says it is watching the source, in ms. */
    private static long ready(Path jar, Path dir, Map<String, String> settings) throws Exception {
        Files.createDirectories(dir.resolve("data/inbox"));
        Path log = dir.resolve("pipeline.log");
        long started = System.currentTimeMillis();
        Process child = ChildPipeline.start(jar, dir, "256m", JVM_OPTIONS, settings, log);
        try {
            long deadline = started + 120_000;
            while (System.currentTimeMillis() < deadline) {
                Long at = readyAt(log);
                if (at != null) {
                    return at - started;
                }
                if (!child.isAlive()) {
                    break;
                }
                Thread.sleep(10);
            }
            throw new IllegalStateException("startup: the service did not get ready; see " + log);
        } finally {
            child.destroy();
            if (!child.waitFor(30, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
        }
    }

    private static Long readyAt(Path log) throws IOException {
        if (!Files.exists(log)) {
            return null;
        }
        try (Stream<String> lines = Files.lines(log)) {
            for (String line : (Iterable<String>) lines::iterator) {
                Matcher m = LOG_TIME.matcher(line);
                if (m.find()) {
                    return LocalTime.parse(m.group(1)).atDate(LocalDate.now()).atZone(ZoneId.systemDefault())
                            .toInstant().toEpochMilli();
                }
            }
        }
        return null;
    }

    static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}

package dev.sorabatch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Several instances of the packaged pipeline ({@link ChildPipeline}) on one PostgreSQL job store (a fresh database
 * on {@link PostgresFixture}'s server) and one working folder, so one input folder and one output folder: a
 * scaled-out deployment on one machine. Each instance logs to a file of its own, appended to across restarts.
 */
public final class Cluster implements AutoCloseable {

    private static final String STARTED = "Watching the source";

    private final Path jar;
    private final Path dir;
    private final Map<String, String> settings;
    private final List<Path> logs = new ArrayList<>();
    private final List<Process> instances = new ArrayList<>();
    private final List<Long> startsBefore = new ArrayList<>();

    private Cluster(Path jar, Path dir, Map<String, String> settings) {
        this.jar = jar;
        this.dir = dir;
        this.settings = settings;
    }

    /** {@link #start(Path, Path, int, Map, Path)} of the jar the build made. */
    public static Cluster start(Path dir, int size, Map<String, String> settings, Path logPrefix)
            throws IOException, SQLException {
        return start(ChildPipeline.jar(), dir, size, settings, logPrefix);
    }

    /**
     * Starts {@code size} instances of {@code jar} in {@code dir}, on a new database.
     *
     * @param logPrefix each instance logs to {@code <logPrefix>-<n>.log}; earlier logs of that name are removed
     */
    public static Cluster start(Path jar, Path dir, int size, Map<String, String> settings, Path logPrefix)
            throws IOException, SQLException {
        return start(jar, dir, size, settings, logPrefix, PostgresFixture.freshDatabase());
    }

    /** Starts {@code size} instances of {@code jar} in {@code dir}, on {@code db}. */
    public static Cluster start(Path jar, Path dir, int size, Map<String, String> settings, Path logPrefix,
                                PostgresFixture.Db db) throws IOException {
        Map<String, String> all = new HashMap<>(settings);
        all.put("sora.store.url", db.url());
        all.put("sora.store.user", db.user());
        all.put("sora.store.password", db.password());
        Cluster cluster = new Cluster(jar, dir, all);
        Files.createDirectories(logPrefix.toAbsolutePath().getParent());
        for (int i = 0; i < size; i++) {
            Path log = logPrefix.resolveSibling(logPrefix.getFileName() + "-" + (i + 1) + ".log");
            Files.deleteIfExists(log);
            cluster.logs.add(log);
            cluster.instances.add(null);
            cluster.startsBefore.add(0L);
            cluster.restart(i);
        }
        return cluster;
    }

    public int size() {
        return instances.size();
    }

    public List<Path> logs() {
        return List.copyOf(logs);
    }

    /** Whether every instance has started (again, after its last restart) and watches the source. */
    public boolean allWatching() {
        for (int i = 0; i < size(); i++) {
            if (!watching(i)) {
                return false;
            }
        }
        return true;
    }

    /** Whether instance {@code i} has started since it was last (re)started. */
    public boolean watching(int i) {
        try {
            return starts(logs.get(i)) > startsBefore.get(i);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILL: no shutdown hook, no clean close of anything. */
    public void kill(int i) throws InterruptedException {
        Process p = instances.get(i);
        p.destroyForcibly();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("instance " + (i + 1) + " did not die from SIGKILL");
        }
    }

    /** Starts instance {@code i} again (it must not be running). */
    public void restart(int i) throws IOException {
        startsBefore.set(i, starts(logs.get(i)));
        instances.set(i, ChildPipeline.start(jar, dir, "256m", List.of(), settings, logs.get(i)));
    }

    /** Instances that ended on their own, e.g. a start-up failure: a test waiting on them should stop at once. */
    public List<Integer> exited() {
        List<Integer> dead = new ArrayList<>();
        for (int i = 0; i < size(); i++) {
            if (!instances.get(i).isAlive()) {
                dead.add(i + 1);
            }
        }
        return dead;
    }

    /** A connection to the cluster's store, logged in as the instances are. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(settings.get("sora.store.url"), settings.get("sora.store.user"),
                settings.get("sora.store.password"));
    }

    /** SIGTERM to every instance, then SIGKILL to any still running after 30 s. */
    @Override
    public void close() throws InterruptedException {
        instances.forEach(Process::destroy);
        for (Process p : instances) {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** The most of {@code times} that fall in any window of {@code window} (half open), wherever it starts. */
    public static int maxInWindow(List<Instant> times, Duration window) {
        List<Instant> sorted = times.stream().sorted().toList();
        int max = 0;
        int start = 0;
        for (int end = 0; end < sorted.size(); end++) {
            while (!sorted.get(start).plus(window).isAfter(sorted.get(end))) {
                start++;
            }
            max = Math.max(max, end - start + 1);
        }
        return max;
    }

    private static long starts(Path log) throws IOException {
        if (!Files.exists(log)) {
            return 0;
        }
        try (Stream<String> lines = Files.lines(log)) {
            return lines.filter(l -> l.contains(STARTED)).count();
        }
    }
}

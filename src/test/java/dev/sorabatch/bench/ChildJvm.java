package dev.sorabatch.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

import com.sun.tools.attach.VirtualMachine;

import dev.sorabatch.ChildPipeline;

/**
 * The packaged pipeline as a child JVM, measured from outside: CPU time and peak RSS from {@code /proc/<pid>},
 * heap in use over JMX (local management agent started through the attach API, so no port is opened), and the
 * heap before and after every collection from the GC log.
 */
final class ChildJvm implements AutoCloseable {

    private static final Pattern GC_LINE = Pattern.compile("GC\\(\\d+\\) Pause.* (\\d+)M->(\\d+)M\\((\\d+)M\\)");
    private static final long TICKS_PER_SECOND = 100; // USER_HZ on Linux

    final Process process;
    final Path log;
    final Path gcLog;
    private JMXConnector jmx;
    private MemoryMXBean memory;
    private volatile long peakSampledHeap;

    private ChildJvm(Process process, Path log, Path gcLog) {
        this.process = process;
        this.log = log;
        this.gcLog = gcLog;
    }

    static ChildJvm start(Path jar, Path workDir, String heap, Map<String, String> settings) throws IOException {
        Path log = workDir.resolve("pipeline.log");
        Path gcLog = workDir.resolve("gc.log");
        List<String> options = new ArrayList<>(List.of("-Xlog:gc:file=" + gcLog));
        String extra = System.getProperty("bench.child-jvm-args", "").trim();
        if (!extra.isEmpty()) {
            options.addAll(List.of(extra.split("\\s+"))); // e.g. a profiler: -XX:StartFlightRecording=...
        }
        return new ChildJvm(ChildPipeline.start(jar, workDir, heap, options, settings, log), log, gcLog);
    }

    /** Waits for the pipeline's start-up line, then connects JMX. */
    void awaitStarted(long timeoutMillis) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (!logContains("Watching the source")) {
            if (!process.isAlive() || System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("The pipeline did not start; see " + log);
            }
            Thread.sleep(50);
        }
        VirtualMachine vm = VirtualMachine.attach(Long.toString(process.pid()));
        String address;
        try {
            address = vm.startLocalManagementAgent();
        } finally {
            vm.detach();
        }
        jmx = JMXConnectorFactory.connect(new JMXServiceURL(address));
        MBeanServerConnection connection = jmx.getMBeanServerConnection();
        memory = ManagementFactory.newPlatformMXBeanProxy(connection, ManagementFactory.MEMORY_MXBEAN_NAME,
                MemoryMXBean.class);
    }

    boolean logContains(String text) throws IOException {
        if (!Files.exists(log)) {
            return false;
        }
        try (Stream<String> lines = Files.lines(log)) {
            return lines.anyMatch(l -> l.contains(text));
        }
    }

    /** Heap in use now (bytes); also kept as the sampled peak. */
    long heapUsed() {
        long used = memory.getHeapMemoryUsage().getUsed();
        peakSampledHeap = Math.max(peakSampledHeap, used);
        return used;
    }

    /** A full collection, then the heap still in use: the live set. */
    long liveHeap() {
        memory.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    void resetPeakHeap() {
        peakSampledHeap = 0;
    }

    long peakSampledHeap() {
        return peakSampledHeap;
    }

    /** User plus system CPU time of the process, in milliseconds. */
    long cpuMillis() throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // after "pid (comm) ": state is field 3, utime 14 and stime 15 (1-based over the whole line)
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 1000 / TICKS_PER_SECOND;
    }

    /** Peak resident set size (VmHWM), in bytes. */
    long peakRss() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        return -1;
    }

    /** Highest heap in use before any collection, and highest left after one, in MB, from the GC log. */
    long[] gcLogPeaks() throws IOException {
        long before = 0;
        long after = 0;
        if (Files.exists(gcLog)) {
            for (String line : Files.readAllLines(gcLog)) {
                Matcher m = GC_LINE.matcher(line);
                if (m.find()) {
                    before = Math.max(before, Long.parseLong(m.group(1)));
                    after = Math.max(after, Long.parseLong(m.group(2)));
                }
            }
        }
        return new long[] {before, after};
    }

    @Override
    public void close() throws Exception {
        if (jmx != null) {
            try {
                jmx.close();
            } catch (IOException ignored) {
                // the child may be gone already
            }
        }
        process.destroy(); // SIGTERM: Camel shuts down and closes the store cleanly
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}

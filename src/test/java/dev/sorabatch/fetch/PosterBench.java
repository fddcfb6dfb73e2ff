package dev.sorabatch.fetch;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * What a poster costs, per MP4 file given:
 * <ul>
 * <li>{@code fromVideo}: the caller's wall time, decoding child JVM included (median of 5 after one warm-up);
 * <li>{@code decode}: the child's work alone, run in this JVM: wall time and heap allocated, for the first (cold) call
 * and as the median of 5 after it.
 * </ul>
 * {@code java -cp target/test-classes:target/sora-batch.jar dev.sorabatch.fetch.PosterBench FILE...} (after
 * {@code mvn package -DskipTests}). Only the first file's cold figures are cold: JCodec is warm after it.
 */
public final class PosterBench {

    private static final int RUNS = 5;

    private PosterBench() {
    }

    public static void main(String[] args) throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        PosterFrame posters = new PosterFrame();
        System.out.printf("%-28s %12s %14s %16s %14s %16s%n", "file", "fromVideo ms", "decode cold ms",
                "cold alloc MB", "decode ms", "alloc MB");
        for (String name : args) {
            Path file = Path.of(name);
            posters.fromVideo(file).orElseThrow();
            double[] endToEnd = new double[RUNS];
            for (int i = 0; i < RUNS; i++) {
                long started = System.nanoTime();
                posters.fromVideo(file).orElseThrow();
                endToEnd[i] = (System.nanoTime() - started) / 1e6;
            }
            double[] decodeMillis = new double[RUNS + 1];
            double[] allocatedMb = new double[RUNS + 1];
            for (int i = 0; i <= RUNS; i++) {
                long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
                long started = System.nanoTime();
                FirstFrame.make(file, new ByteArrayOutputStream(), PosterFrame.DEFAULT_MAX_SIDE,
                        PosterFrame.DEFAULT_MAX_SIDE);
                decodeMillis[i] = (System.nanoTime() - started) / 1e6;
                allocatedMb[i] = (threads.getCurrentThreadAllocatedBytes() - allocatedBefore) / 1048576.0;
            }
            System.out.printf(Locale.ROOT, "%-28s %12.0f %14.0f %16.1f %14.0f %16.1f%n", file.getFileName(),
                    median(endToEnd), decodeMillis[0], allocatedMb[0],
                    median(Arrays.copyOfRange(decodeMillis, 1, RUNS + 1)),
                    median(Arrays.copyOfRange(allocatedMb, 1, RUNS + 1)));
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}

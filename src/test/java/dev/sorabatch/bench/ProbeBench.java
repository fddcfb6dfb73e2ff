package dev.sorabatch.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.drew.imaging.mp4.Mp4MetadataReader;
import com.drew.metadata.Directory;
import com.drew.metadata.Metadata;
import com.drew.metadata.mp4.media.Mp4VideoDirectory;

import dev.sorabatch.qa.Mp4Probe;
import dev.sorabatch.qa.ProbingInputStream;
import dev.sorabatch.qa.SyntheticMp4;

/**
 * What the output probe costs a copy, and why its top-level walk is not metadata-extractor's MP4 reader (which does
 * read the index once the walk has found it). In this JVM, no pipeline:
 * <ol>
 * <li>a synthetic MP4 stream of 2 GiB of media with its index at the end is copied to nowhere with the JDK's
 * {@code transferTo} (8 KiB reads), with and without {@link Mp4Probe#tee}, and again through SHA-256 as the fetch
 * step hashes what it stores; rounds alternate, medians in MB/s (10^6 bytes);</li>
 * <li>metadata-extractor's {@code Mp4MetadataReader} reads the same kind of stream of 300 MB (bytes allocated on
 * this thread, and whether it found the video track) and of 2 GiB.</li>
 * </ol>
 * {@code java -cp target/classes:target/test-classes:<metadata-extractor jar> dev.sorabatch.bench.ProbeBench [rounds]}
 * (bench/README.md, "Output probe").
 */
public final class ProbeBench {

    private static final long TWO_GIB = 2L << 30;

    private ProbeBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        List<List<Double>> rates = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int round = 0; round < rounds; round++) {
            rates.get(0).add(copy(false, false));
            rates.get(1).add(copy(true, false));
            rates.get(2).add(copy(false, true));
            rates.get(3).add(copy(true, true));
        }
        System.out.printf(Locale.ROOT, "copy of 2 GiB, index last, %d rounds, median MB/s:%n", rounds);
        System.out.printf(Locale.ROOT, "  plain copy        %8.0f%n  through the tee   %8.0f%n", median(rates.get(0)),
                median(rates.get(1)));
        System.out.printf(Locale.ROOT, "  copy + SHA-256    %8.0f%n  + SHA-256 + tee   %8.0f%n", median(rates.get(2)),
                median(rates.get(3)));

        for (long media : new long[] {300_000_000L, TWO_GIB}) {
            long before = allocated();
            long start = System.nanoTime();
            Metadata metadata = Mp4MetadataReader.readMetadata(SyntheticMp4.of(media, false));
            double seconds = (System.nanoTime() - start) / 1e9;
            List<String> errors = new ArrayList<>();
            for (Directory directory : metadata.getDirectories()) {
                directory.getErrors().forEach(errors::add);
            }
            System.out.printf(Locale.ROOT, "metadata-extractor, %d bytes of media, index last: %.1f s, %d bytes "
                            + "allocated, video track found: %s, errors: %s%n", media, seconds, allocated() - before,
                    metadata.getFirstDirectoryOfType(Mp4VideoDirectory.class) != null, errors);
        }
    }

    /** One copy of the 2 GiB stream; its rate in MB/s. */
    private static double copy(boolean probe, boolean hash) throws IOException, NoSuchAlgorithmException {
        SyntheticMp4 source = SyntheticMp4.of(TWO_GIB, false);
        InputStream in = probe ? Mp4Probe.tee(source) : source;
        OutputStream out = hash ? new DigestOutputStream(OutputStream.nullOutputStream(),
                MessageDigest.getInstance("SHA-256")) : OutputStream.nullOutputStream();
        long start = System.nanoTime();
        long bytes = in.transferTo(out);
        double rate = bytes / 1e6 / ((System.nanoTime() - start) / 1e9);
        if (probe && !((ProbingInputStream) in).facts().video()) {
            throw new IllegalStateException("the probe missed the video track: " + ((ProbingInputStream) in).facts());
        }
        return rate;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }
}

package dev.sorabatch.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;

import dev.sorabatch.manifest.GalleryLinks;
import dev.sorabatch.manifest.GalleryWriter;

/**
 * What the review gallery of a large batch costs, in this JVM. For each size N (default 10,000 and 100,000): a
 * manifest of N stored items (300-character prompts, 40 jobs in flight) is written, then read twice as bare JSON
 * tokens (the least any page made from it must do: the gallery reads it twice), then its gallery is written 5 times
 * after 2 warm-ups. Prints the sizes, the median times, the heap allocated per page, the peak heap in use and the
 * live heap (the most still in use after a collection) over those runs, and the ratios of the largest size to the
 * smallest. Run it with a small heap, so that a page or manifest held in memory
 * would show (or fail):
 * {@code java -Xmx64m -cp target/test-classes:target/sora-batch.jar dev.sorabatch.bench.GalleryBench 10000 100000}
 * (after {@code mvn package -DskipTests}).
 */
public final class GalleryBench {

    private static final int WARM_UPS = 2;
    private static final int RUNS = 5;
    private static final int IN_FLIGHT = 40;
    private static final double MB = 1024 * 1024;

    private GalleryBench() {
    }

    record Row(int items, double manifestMb, double pageMb, double readMs, double pageMs, double allocatedMb,
               double peakHeapMb, double liveHeapMb) {
    }

    public static void main(String[] args) throws Exception {
        int[] sizes = args.length > 0 ? Arrays.stream(args).mapToInt(Integer::parseInt).toArray()
                : new int[] {10_000, 100_000};
        Path dir = Files.createTempDirectory("gallery-bench");
        Row[] rows = new Row[sizes.length];
        try {
            for (int i = 0; i < sizes.length; i++) {
                rows[i] = measure(dir, sizes[i]);
            }
        } finally {
            Bench.deleteTree(dir);
        }
        System.out.printf(Locale.ROOT, "%-8s %11s %8s %8s %8s %10s %11s %13s %13s %13s  (max heap %.0f MB)%n",
                "items", "manifest MB", "page MB", "read ms", "page ms", "page/read", "ms/1k items", "allocated MB",
                "peak heap MB", "live heap MB", Runtime.getRuntime().maxMemory() / MB);
        for (Row r : rows) {
            System.out.printf(Locale.ROOT, "%-8d %11.1f %8.1f %8.0f %8.0f %10.2f %11.1f %13.0f %13.1f %13.1f%n",
                    r.items(), r.manifestMb(), r.pageMb(), r.readMs(), r.pageMs(), r.pageMs() / r.readMs(),
                    r.pageMs() / r.items() * 1000, r.allocatedMb(), r.peakHeapMb(), r.liveHeapMb());
        }
        if (rows.length > 1) {
            Row small = rows[0];
            Row large = rows[rows.length - 1];
            System.out.printf(Locale.ROOT, "%d vs %d items (x%.0f): page time x%.2f, page size x%.2f, peak heap x%.2f, live heap x%.2f%n",
                    large.items(), small.items(), (double) large.items() / small.items(), large.pageMs() / small.pageMs(),
                    large.pageMb() / small.pageMb(), large.peakHeapMb() / small.peakHeapMb(),
                    large.liveHeapMb() / small.liveHeapMb());
        }
    }

    private static Row measure(Path dir, int items) throws Exception {
        Path manifest = dir.resolve("manifest-" + items + ".json");
        Path page = dir.resolve(GalleryWriter.FILE_NAME);
        writeManifest(manifest, items);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        GalleryWriter gallery = new GalleryWriter();
        double[] readMs = new double[RUNS];
        double[] pageMs = new double[RUNS];
        double[] allocatedMb = new double[RUNS];
        for (int i = 0; i < WARM_UPS; i++) {
            readTwice(manifest);
            writePage(gallery, manifest, page);
        }
        System.gc();
        HeapWatch heap = new HeapWatch();
        for (int i = 0; i < RUNS; i++) {
            long started = System.nanoTime();
            readTwice(manifest);
            readMs[i] = (System.nanoTime() - started) / 1e6;
            long allocated = threads.getCurrentThreadAllocatedBytes();
            started = System.nanoTime();
            writePage(gallery, manifest, page);
            pageMs[i] = (System.nanoTime() - started) / 1e6;
            allocatedMb[i] = (threads.getCurrentThreadAllocatedBytes() - allocated) / MB;
        }
        heap.close();
        return new Row(items, Files.size(manifest) / MB, Files.size(page) / MB, median(readMs), median(pageMs),
                median(allocatedMb), heap.peak / MB, heap.live / MB);
    }

    /**
     * The heap in use before each collection (the peak: the heap was never fuller than just before a collection,
     * or now) and after it (the live set: what the code still holds), summed over the heap's pools.
     */
    private static final class HeapWatch implements NotificationListener, AutoCloseable {

        private final List<NotificationEmitter> emitters = new ArrayList<>();
        private long peak;
        private long live;

        HeapWatch() {
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                NotificationEmitter emitter = (NotificationEmitter) gc;
                emitter.addNotificationListener(this, null, null);
                emitters.add(emitter);
            }
        }

        @Override
        public synchronized void handleNotification(Notification notification, Object handback) {
            if (notification.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                GcInfo info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData()).getGcInfo();
                peak = Math.max(peak, used(info.getMemoryUsageBeforeGc()));
                live = Math.max(live, used(info.getMemoryUsageAfterGc()));
            }
        }

        private static long used(Map<String, MemoryUsage> pools) {
            return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                    .map(p -> pools.get(p.getName())).filter(Objects::nonNull).mapToLong(MemoryUsage::getUsed).sum();
        }

        @Override
        public synchronized void close() throws ListenerNotFoundException {
            for (NotificationEmitter emitter : emitters) {
                emitter.removeNotificationListener(this);
            }
            MemoryUsage now = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
            peak = Math.max(peak, now.getUsed());
        }
    }

    private static void writePage(GalleryWriter gallery, Path manifest, Path page) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(page))) {
            gallery.write(manifest, GalleryLinks.relative(), out);
        }
    }

    /** Every token of the file, twice, with nothing built from them. */
    private static void readTwice(Path manifest) throws IOException {
        for (int pass = 0; pass < 2; pass++) {
            try (JsonParser p = new ObjectMapper().createParser(manifest.toFile())) {
                while (p.nextToken() != null) {
                    p.getText();
                }
            }
        }
    }

    /** Items as the manifest writer streams them: every 40th job starts when one ends, 60-100 s each. */
    private static void writeManifest(Path file, int items) throws IOException {
        Instant start = Instant.parse("2026-11-25T20:00:00Z");
        String prompt = "A slow aerial shot over a coastline at golden hour, waves breaking on dark rocks, gulls "
                .repeat(4).substring(0, 300);
        long[] laneFree = new long[IN_FLIGHT];
        try (JsonGenerator g = new ObjectMapper().getFactory().createGenerator(file.toFile(), JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("batch_id", "bench");
            g.writeStringField("started_at", start.toString());
            g.writeObjectFieldStart("counts");
            g.writeNumberField("total", items);
            g.writeNumberField("stored", items);
            g.writeEndObject();
            g.writeArrayFieldStart("items");
            for (int i = 0; i < items; i++) {
                int lane = i % IN_FLIGHT;
                long submitted = laneFree[lane] + 500;
                long completed = submitted + 60_000 + (i * 7919L) % 40_000;
                laneFree[lane] = completed;
                String key = "shot-" + i + "-take1";
                g.writeStartObject();
                g.writeStringField("id", "shot-" + i);
                g.writeNumberField("row", i + 2);
                g.writeNumberField("take", 1);
                g.writeStringField("status", "stored");
                g.writeStringField("prompt", prompt);
                g.writeStringField("model", "sora-2");
                g.writeNumberField("seconds", 8);
                g.writeStringField("size", "1280x720");
                g.writeStringField("provider_job_id", "video_" + i);
                g.writeStringField("video", "videos/" + key + ".mp4");
                g.writeStringField("thumbnail", "thumbnails/" + key + ".jpg");
                g.writeNumberField("bytes", 4_200_000);
                g.writeNumberField("attempts", 1);
                g.writeStringField("submitted_at", start.plusMillis(submitted).toString());
                g.writeStringField("completed_at", start.plusMillis(completed).toString());
                g.writeStringField("stored_at", start.plusMillis(completed + 2_000).toString());
                g.writeNullField("error");
                g.writeObjectFieldStart("metadata");
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeStringField("finished_at", start.plusMillis(Arrays.stream(laneFree).max().orElse(0) + 2_000).toString());
            g.writeEndObject();
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}

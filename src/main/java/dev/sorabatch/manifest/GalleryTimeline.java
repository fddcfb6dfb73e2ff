package dev.sorabatch.manifest;

import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.stream.IntStream;

import org.owasp.encoder.Encode;

/**
 * The chart of jobs in flight: one bar per job from its submission to its completion at the provider (or to its
 * storing, where no completion was recorded), each job in the lowest lane free at its start. The number of lanes
 * taken at any moment is then exactly the number of jobs in flight, so the chart's filled height is the provider's
 * load over the batch's life: a flat top means it was kept busy, holes mean it waited. Only the few numbers per job
 * the chart needs are kept.
 */
final class GalleryTimeline {

    private static final int WIDTH = 1000;
    private static final int LEFT = 44;
    private static final int RIGHT = 990;
    private static final int TOP = 8;
    private static final int BOTTOM = 128;
    private static final int MAX_TICKS = 8;
    private static final long[] TICK_SECONDS = {1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800,
            21600, 43200, 86400, 172800, 604800};

    private int size;
    private long[] starts = new long[64];
    private long[] ends = new long[64];
    private int[] cards = new int[64];
    private String[] statuses = new String[64];
    private String[] ids = new String[64];

    /**
     * @param card      the card's number on the page, for the bar's link
     * @param statusKey the item's status as a class name
     * @param end       completion (or storing); null if none was recorded: the bar then runs to the chart's end
     */
    void add(int card, String id, String statusKey, Instant submitted, Instant end) {
        if (size == starts.length) {
            int grown = size * 2;
            starts = Arrays.copyOf(starts, grown);
            ends = Arrays.copyOf(ends, grown);
            cards = Arrays.copyOf(cards, grown);
            statuses = Arrays.copyOf(statuses, grown);
            ids = Arrays.copyOf(ids, grown);
        }
        starts[size] = submitted.toEpochMilli();
        ends[size] = end == null ? Long.MIN_VALUE : Math.max(end.toEpochMilli(), submitted.toEpochMilli());
        cards[size] = card;
        statuses[size] = statusKey;
        ids[size] = id;
        size++;
    }

    int jobs() {
        return size;
    }

    /**
     * @param finishedAt the batch's end, where bars without an end stop; null to stop them at the last known time
     */
    void write(Writer out, Instant finishedAt) throws IOException {
        out.write("<svg class=\"tl\" viewBox=\"0 0 " + WIDTH + " " + (BOTTOM + 22) + "\" role=\"img\" aria-labelledby=\"tl-cap\">");
        if (size == 0) {
            out.write("<text class=\"lbl\" x=\"500\" y=\"" + BOTTOM / 2 + "\" text-anchor=\"middle\">No job reached the provider.</text>"
                    + "</svg><p class=\"cap\" id=\"tl-cap\">No job reached the provider.</p>");
            return;
        }
        long first = Arrays.stream(starts, 0, size).min().orElseThrow();
        long last = Math.max(Arrays.stream(ends, 0, size).max().orElseThrow(),
                Arrays.stream(starts, 0, size).max().orElseThrow());
        if (finishedAt != null && Arrays.stream(ends, 0, size).anyMatch(e -> e == Long.MIN_VALUE)) {
            last = Math.max(last, finishedAt.toEpochMilli());
        }
        long span = Math.max(1, last - first);
        for (int i = 0; i < size; i++) {
            if (ends[i] == Long.MIN_VALUE) {
                ends[i] = last;
            }
        }
        int[] lanes = new int[size];
        int peak = assignLanes(lanes);
        double laneHeight = (double) (BOTTOM - TOP) / peak;
        double barHeight = laneHeight > 3 ? laneHeight - 1 : laneHeight;

        writeAxes(out, span, peak);
        long busy = 0;
        for (int i = 0; i < size; i++) {
            busy += ends[i] - starts[i];
            double x = LEFT + (double) (starts[i] - first) / span * (RIGHT - LEFT);
            double w = Math.max(0.5, (double) (ends[i] - starts[i]) / span * (RIGHT - LEFT));
            double y = BOTTOM - (lanes[i] + 1) * laneHeight;
            out.write("<a href=\"#i" + cards[i] + "\"><rect class=\"bar s-" + statuses[i] + "\" x=\""
                    + GalleryFormat.coordinate(x) + "\" y=\"" + GalleryFormat.coordinate(y) + "\" width=\""
                    + GalleryFormat.coordinate(w) + "\" height=\"" + GalleryFormat.coordinate(barHeight) + "\"><title>");
            out.write(Encode.forHtmlContent(ids[i]));
            out.write(": " + statuses[i] + ", " + GalleryFormat.time(Instant.ofEpochMilli(starts[i])) + " + "
                    + GalleryFormat.duration(ends[i] - starts[i]) + "</title></rect></a>");
        }
        double mean = (double) busy / span;
        out.write("</svg><p class=\"cap\" id=\"tl-cap\">" + size + (size == 1 ? " job" : " jobs") + " at the provider from "
                + GalleryFormat.dateTime(Instant.ofEpochMilli(first)) + " for " + GalleryFormat.duration(span)
                + String.format(java.util.Locale.ROOT, ": peak %d in flight, mean %.1f (%.0f%% of peak)</p>", peak, mean,
                100 * mean / peak));
    }

    /** Lowest free lane at each start, in order of start; returns the number of lanes, the peak in flight. */
    private int assignLanes(int[] lanes) {
        Integer[] order = IntStream.range(0, size).boxed().sorted(Comparator.comparingLong(i -> starts[i]))
                .toArray(Integer[]::new);
        PriorityQueue<long[]> busy = new PriorityQueue<>(Comparator.comparingLong(b -> b[0])); // {end, lane}
        PriorityQueue<Integer> free = new PriorityQueue<>();
        int count = 0;
        for (int i : order) {
            while (!busy.isEmpty() && busy.peek()[0] <= starts[i]) {
                free.add((int) busy.poll()[1]);
            }
            lanes[i] = free.isEmpty() ? count++ : free.poll();
            busy.add(new long[] {ends[i], lanes[i]});
        }
        return count;
    }

    private static void writeAxes(Writer out, long span, int peak) throws IOException {
        out.write("<line class=\"ax\" x1=\"" + LEFT + "\" y1=\"" + BOTTOM + "\" x2=\"" + RIGHT + "\" y2=\"" + BOTTOM + "\"/>"
                + "<line class=\"grid\" x1=\"" + LEFT + "\" y1=\"" + TOP + "\" x2=\"" + RIGHT + "\" y2=\"" + TOP + "\"/>"
                + "<text class=\"lbl\" x=\"" + (LEFT - 6) + "\" y=\"" + (BOTTOM + 4) + "\" text-anchor=\"end\">0</text>"
                + "<text class=\"lbl\" x=\"" + (LEFT - 6) + "\" y=\"" + (TOP + 8) + "\" text-anchor=\"end\">" + peak
                + "</text>");
        long step = Arrays.stream(TICK_SECONDS).map(s -> s * 1000).filter(s -> span / s <= MAX_TICKS).findFirst()
                .orElse(span);
        for (long t = step; t <= span; t += step) {
            String x = GalleryFormat.coordinate(LEFT + (double) t / span * (RIGHT - LEFT));
            out.write("<line class=\"ax\" x1=\"" + x + "\" y1=\"" + BOTTOM + "\" x2=\"" + x + "\" y2=\"" + (BOTTOM + 4)
                    + "\"/><text class=\"lbl\" x=\"" + x + "\" y=\"" + (BOTTOM + 16) + "\" text-anchor=\"middle\">+"
                    + GalleryFormat.duration(t) + "</text>");
        }
    }
}

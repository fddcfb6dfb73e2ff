package dev.sorabatch.bench;

import java.util.ArrayDeque;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The makespan a zero-overhead client would reach against the same provider with the same jobs: creates go out
 * in the order the provider numbered them, each at the earliest moment the provider's limits allow (per-minute
 * rate with its per-second quantisation, in-flight limit), a slot is reused the instant its job ends, and a job
 * takes exactly the generation time the provider drew for it. No online client can beat it: generation times are
 * unknown until a job ends.
 */
final class IdealSchedule {

    private IdealSchedule() {
    }

    /**
     * @param generation     generation time of each job in creation order, ms
     * @param perMinute      creates per sliding minute; 0 = unlimited
     * @param burst          creates accepted back to back before the rate applies per second; 0 = the whole minute
     * @param maxInFlight    jobs running at once; 0 = unlimited
     * @return milliseconds from the first create to the end of the last job
     */
    static long makespan(List<Long> generation, int perMinute, int burst, int maxInFlight) {
        ArrayDeque<Long> window = new ArrayDeque<>();
        PriorityQueue<Long> running = new PriorityQueue<>();
        double tokens = burst;
        double perMilli = perMinute / 60_000.0;
        long clock = 0;
        long tokensAt = 0;
        long end = 0;
        for (long g : generation) {
            long t = clock;
            if (perMinute > 0) {
                while (window.size() >= perMinute) {
                    t = Math.max(t, window.pollFirst() + 60_000);
                }
                if (burst > 0) {
                    double available = Math.min(burst, tokens + (t - tokensAt) * perMilli);
                    if (available < 1) {
                        t += (long) Math.ceil((1 - available) / perMilli);
                        available = 1;
                    }
                    tokens = available - 1;
                    tokensAt = t;
                }
            }
            if (maxInFlight > 0) {
                while (!running.isEmpty() && running.peek() <= t) {
                    running.poll();
                }
                if (running.size() >= maxInFlight) {
                    t = Math.max(t, running.poll());
                }
            }
            window.addLast(t);
            running.add(t + g);
            end = Math.max(end, t + g);
            clock = t;
        }
        return end;
    }
}

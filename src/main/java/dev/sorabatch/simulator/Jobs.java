package dev.sorabatch.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.PriorityQueue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/** The jobs of one server and the admission rules (per-minute limit, in-flight limit) that guard their creation. */
final class Jobs {

    private static final long WINDOW_MILLIS = 60_000;

    private final Map<String, Job> byId = new ConcurrentHashMap<>();
    /** Creation order; timestamps alone cannot order jobs created within the same millisecond. */
    private final ConcurrentSkipListMap<Long, Job> bySeq = new ConcurrentSkipListMap<>();
    /** Admission times of the creates inside the current 60 s window, oldest first. */
    private final ArrayDeque<Long> window = new ArrayDeque<>();
    private final PriorityQueue<Job> inFlight = new PriorityQueue<>(Comparator.comparingLong(Job::endsAt));
    private long nextSeq;
    /** Quantised rate: allowance left (at most the burst) and when it was last brought up to date. */
    private double allowance = -1;
    private long allowanceAt;

    /** Creates a job unless a limit is reached, in which case a 429 carrying the wait until a slot frees up is thrown. */
    synchronized Job admit(Job.Spec spec, SimulatorSettings settings, SimulatorStats stats) {
        Instant createdAt = Instant.now();
        long now = createdAt.toEpochMilli();
        while (!window.isEmpty() && window.peekFirst() <= now - WINDOW_MILLIS) {
            window.pollFirst();
        }
        while (!inFlight.isEmpty() && inFlight.peek().endsAt() <= now) {
            inFlight.poll();
        }
        int perMinute = settings.createsPerMinute();
        if (perMinute > 0 && window.size() >= perMinute) {
            throw tooMany(stats, window.peekFirst() + WINDOW_MILLIS - now, "Rate limit reached for " + spec.model()
                    + " on requests per min (RPM): Limit " + perMinute + ", Used " + window.size() + ", Requested 1.");
        }
        int burst = settings.createsBurst();
        if (perMinute > 0 && burst > 0) {
            double perMilli = perMinute / 60_000.0;
            allowance = allowance < 0 ? burst : Math.min(burst, allowance + (now - allowanceAt) * perMilli);
            allowanceAt = now;
            if (allowance < 1) {
                throw tooMany(stats, (long) Math.ceil((1 - allowance) / perMilli), "Rate limit reached for "
                        + spec.model() + " on requests per min (RPM): Limit " + perMinute + " (enforced as " + burst
                        + " at once, refilled continuously), Requested 1.");
            }
        }
        int maxInFlight = settings.maxInFlight();
        if (maxInFlight > 0 && inFlight.size() >= maxInFlight) {
            throw tooMany(stats, inFlight.peek().endsAt() - now,
                    "Too many concurrent video generations: Limit " + maxInFlight + ".");
        }
        boolean fails = settings.chance(settings.failureShare());
        Duration generation = settings.drawGenerationTime();
        Job job = new Job("video_" + UUID.randomUUID().toString().replace("-", ""), nextSeq++, spec, createdAt,
                generation, fails);
        if (perMinute > 0 && burst > 0) {
            allowance -= 1;
        }
        byId.put(job.id(), job);
        bySeq.put(job.seq(), job);
        window.addLast(now);
        inFlight.add(job);
        stats.countJobCreated(spec.prompt(), createdAt, generation.toMillis(), fails, inFlight.size());
        return job;
    }

    private static ApiException tooMany(SimulatorStats stats, long waitMillis, String message) {
        long millis = Math.max(1, waitMillis);
        stats.countRateLimited(millis);
        return new ApiException(429, "requests", null, "rate_limit_exceeded",
                message + " Please try again in " + millis + "ms.")
                .header("Retry-After", Long.toString((millis + 999) / 1000))
                .header("retry-after-ms", Long.toString(millis));
    }

    Job find(String id) {
        return found(id, byId.get(id));
    }

    Job remove(String id) {
        Job job = found(id, byId.remove(id));
        bySeq.remove(job.seq());
        synchronized (this) {
            inFlight.remove(job);
        }
        return job;
    }

    private static Job found(String id, Job job) {
        if (job == null) {
            throw ApiException.notFound("not_found", "Video with id '" + id + "' not found.");
        }
        return job;
    }

    /** Up to {@code max} jobs in the given order, starting right after the job {@code after} (null: from the start). */
    List<Job> page(boolean ascending, String after, int max) {
        NavigableMap<Long, Job> ordered = ascending ? bySeq : bySeq.descendingMap();
        if (after != null) {
            Job cursor = byId.get(after);
            if (cursor == null) {
                throw ApiException.invalid("after", "invalid_value", "No video found with id '" + after + "'.");
            }
            ordered = ordered.tailMap(cursor.seq(), false);
        }
        return ordered.values().stream().limit(max).toList();
    }
}

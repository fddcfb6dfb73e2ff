package dev.sorabatch.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.PriorityQueue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The job engine shared by every face: the jobs of one server and the admission rules that guard their creation
 * (per-minute limit, in-flight limit, idempotency keys). Over the in-flight limit a face either refuses
 * ({@link OverLimit#REFUSE}, OpenAI's 429) or queues ({@link OverLimit#QUEUE}: the job waits for the earliest slot,
 * first come first served, its timeline still fixed at creation).
 */
final class Jobs {

    private static final long WINDOW_MILLIS = 60_000;

    enum OverLimit { REFUSE, QUEUE }

    /** A create's result: the job, and whether it was an earlier job returned for the same idempotency key. */
    record Admission(Job job, boolean replayed) {
    }

    private final Map<String, Job> byId = new ConcurrentHashMap<>();
    private final Map<String, Job> byKey = new ConcurrentHashMap<>();
    /** Creation order; timestamps alone cannot order jobs created within the same millisecond. */
    private final ConcurrentSkipListMap<Long, Job> bySeq = new ConcurrentSkipListMap<>();
    /** Admission times of the creates inside the current 60 s window, oldest first. */
    private final ArrayDeque<Long> window = new ArrayDeque<>();
    /** Jobs not yet ended (waiting, starting or running). */
    private final PriorityQueue<Job> open = new PriorityQueue<>(Comparator.comparingLong(Job::endsAt));
    /** When each occupied slot frees: the end of the last job given to it. */
    private final PriorityQueue<Long> slots = new PriorityQueue<>();
    private long nextSeq;
    /** Quantised rate: allowance left (at most the burst) and when it was last brought up to date. */
    private double allowance = -1;
    private long allowanceAt;

    /**
     * Creates a job unless a limit refuses it, in which case a 429 carrying the wait until it would be accepted is
     * thrown. With an idempotency key already seen, the earlier job is returned and nothing is created or counted.
     *
     * @param idempotencyKey null when the request carried none
     */
    synchronized Admission admit(Job.Spec spec, String idPrefix, OverLimit overLimit, String idempotencyKey,
                                 SimulatorSettings settings, SimulatorStats stats) {
        Instant createdAt = Instant.now();
        long storm = settings.stormRetryAfterMillis(createdAt);
        if (storm >= 0) {
            // before the idempotency lookup: a throttled request is turned away before the service reads it
            throw tooMany(stats, storm, "Rate limit reached for " + spec.model() + " on requests per min (RPM): "
                    + "Limit 0, Requested 1.");
        }
        if (idempotencyKey != null) {
            Job earlier = byKey.get(idempotencyKey);
            if (earlier != null) {
                stats.countReplayedCreate();
                return new Admission(earlier, true);
            }
        }
        long now = createdAt.toEpochMilli();
        while (!window.isEmpty() && window.peekFirst() <= now - WINDOW_MILLIS) {
            window.pollFirst();
        }
        while (!open.isEmpty() && open.peek().endsAt() <= now) {
            open.poll();
        }
        while (!slots.isEmpty() && slots.peek() <= now) {
            slots.poll();
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
        long slotAt = now;
        int maxInFlight = settings.maxInFlight();
        if (maxInFlight > 0) {
            while (slots.size() > maxInFlight) {
                slots.poll(); // the limit was lowered while jobs ran
            }
            if (slots.size() == maxInFlight) {
                if (overLimit == OverLimit.REFUSE) {
                    throw tooMany(stats, slots.peek() - now,
                            "Too many concurrent video generations: Limit " + maxInFlight + ".");
                }
                slotAt = slots.poll();
                stats.countQueuedOverLimit();
            }
        }
        Job.Outcome outcome = blocked(spec.prompt(), settings) ? Job.Outcome.BLOCKED
                : settings.chance(settings.failureShare()) ? Job.Outcome.FAILS : Job.Outcome.SUCCEEDS;
        Duration generation = settings.drawGenerationTime();
        Job job = new Job(idPrefix + UUID.randomUUID().toString().replace("-", ""), nextSeq++, spec, createdAt, slotAt,
                generation, outcome);
        if (perMinute > 0 && burst > 0) {
            allowance -= 1;
        }
        byId.put(job.id(), job);
        bySeq.put(job.seq(), job);
        if (idempotencyKey != null) {
            byKey.put(idempotencyKey, job);
        }
        window.addLast(now);
        open.add(job);
        slots.add(job.endsAt());
        stats.countJobCreated(job.id(), spec.prompt(), createdAt, generation.toMillis(), outcome != Job.Outcome.SUCCEEDS,
                open.size());
        return new Admission(job, false);
    }

    /** Whether moderation refuses the prompt: it holds the blocked word, in any case. */
    static boolean blocked(String prompt, SimulatorSettings settings) {
        String word = settings.blockedWord();
        return word != null && prompt != null && prompt.toLowerCase(Locale.ROOT)
                .contains(word.toLowerCase(Locale.ROOT));
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

    /** The job, or null. */
    Job get(String id) {
        return byId.get(id);
    }

    Job remove(String id) {
        Job job = found(id, byId.remove(id));
        bySeq.remove(job.seq());
        synchronized (this) {
            open.remove(job);
            slots.remove(job.endsAt());
        }
        return job;
    }

    /** How many jobs created before this one still wait for a slot. */
    synchronized int queuePosition(Job job, long now) {
        return (int) open.stream().filter(j -> j.seq() < job.seq() && j.phase(now) == Job.Phase.WAITING).count();
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

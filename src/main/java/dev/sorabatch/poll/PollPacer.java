package dev.sorabatch.poll;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.sorabatch.provider.JobStatus;
import dev.sorabatch.provider.VideoJob;
import dev.sorabatch.store.Item;
import dev.sorabatch.worker.CheckSchedule;

/**
 * When to check a running job next. Status calls are free but not unlimited, and every check made too late keeps
 * a paid slot busy, so the pacer aims for two checks per job: one early, to read the progress, and one just after
 * the job ends.
 * <ul>
 * <li>The first check goes a little before the shortest recent duration of similar jobs (same model, seconds,
 * size), learned from finished jobs; before any has finished, after {@code initial}.</li>
 * <li>A running job's progress rises steadily with time, so {@code elapsed * 100 / progress} is the total time.
 * Progress is a whole percent, rounded down, which makes this an upper bound: the next check is due then, and
 * the job is over by that time. The earlier the progress is read, the wider that bound, which is why the first
 * check is not made sooner than needed.</li>
 * <li>A queued job (no progress yet) is checked again when similar jobs usually end, else after half its age.</li>
 * <li>The provider's {@code openai-poll-after-ms} is honoured: no check before it has passed.</li>
 * </ul>
 * Every delay is clamped to [min, max], so there is never a tight loop and never a forgotten job; when the
 * progress says the job is nearly done, the delay is still at least 1/50 of its age, so a provider whose progress
 * stalls near the end is checked at a geometrically slowing pace.
 * <p>
 * A provider whose callbacks are on ({@code sora.webhooks.*}) says itself when a job is done: its callback makes the
 * check due at once, and polling is only the safety net for a callback that never came, no more often than
 * {@code safetyNet} per job (unless the job was already over when it was accepted).
 */
public final class PollPacer implements CheckSchedule {

    private static final int SAMPLES = 32;
    /** Added to the progress-based end: the job's clock starts a little before our submitted_at. */
    private static final long PAD_MILLIS = 100;

    private final Clock clock;
    private final long minMillis;
    private final long maxMillis;
    private final long initialMillis;
    private final Set<String> calledBack;
    private final long safetyNetMillis;
    private final Map<String, Deque<Long>> durations = new ConcurrentHashMap<>();

    public PollPacer(Clock clock, PollSettings settings) {
        this(clock, settings, Set.of(), 0);
    }

    /**
     * @param calledBack      providers whose callbacks are on
     * @param safetyNetMillis how often their jobs are polled at most
     */
    public PollPacer(Clock clock, PollSettings settings, Set<String> calledBack, long safetyNetMillis) {
        this.clock = clock;
        this.minMillis = settings.minIntervalMillis();
        this.maxMillis = settings.maxIntervalMillis();
        this.initialMillis = settings.initialIntervalMillis();
        this.calledBack = Set.copyOf(calledBack);
        this.safetyNetMillis = safetyNetMillis;
    }

    /** First check after a job was accepted. */
    @Override
    public long firstCheck(Item item, VideoJob job) {
        if (job.status() == JobStatus.COMPLETED || job.status() == JobStatus.FAILED) {
            return at(honour(job, 0));
        }
        long fastest = fastest(key(item));
        return at(item, honour(job, fastest > 0 ? fastest * 9 / 10 : initialMillis));
    }

    /** Next check after a status call found the job still running. */
    public long nextCheck(Item item, VideoJob job) {
        long now = clock.millis();
        long elapsed = Math.max(1, now - (item.submittedAt() == null ? now : item.submittedAt()));
        int progress = job.progress();
        long delay;
        if (progress > 0 && progress < 100) {
            long remaining = elapsed * (100 - progress) / progress + PAD_MILLIS;
            delay = Math.max(remaining, elapsed / 50);
        } else {
            long fastest = fastest(key(item));
            delay = fastest > elapsed ? fastest - elapsed : Math.max(minMillis, elapsed / 2);
        }
        return at(item, honour(job, delay));
    }

    /** A job was seen finished {@code millis} after it was submitted. */
    public void learn(Item item, long millis) {
        Deque<Long> samples = durations.computeIfAbsent(key(item), k -> new ArrayDeque<>());
        synchronized (samples) {
            samples.addLast(millis);
            if (samples.size() > SAMPLES) {
                samples.pollFirst();
            }
        }
    }

    private long fastest(String key) {
        Deque<Long> samples = durations.get(key);
        if (samples == null) {
            return 0;
        }
        synchronized (samples) {
            return samples.stream().mapToLong(Long::longValue).min().orElse(0);
        }
    }

    private static long honour(VideoJob job, long delay) {
        return job.pollAfterMillis() == null ? delay : Math.max(delay, job.pollAfterMillis());
    }

    private long at(long delay) {
        return clock.millis() + Math.max(minMillis, Math.min(maxMillis, delay));
    }

    /** {@link #at(long)}, no sooner than the safety net for a provider that calls back. */
    private long at(Item item, long delay) {
        return calledBack.contains(item.provider()) ? Math.max(at(delay), clock.millis() + safetyNetMillis) : at(delay);
    }

    private static String key(Item item) {
        return item.model() + '|' + item.seconds() + '|' + item.size();
    }
}

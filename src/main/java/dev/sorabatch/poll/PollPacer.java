package dev.sorabatch.poll;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.sorabatch.provider.VideoJob;
import dev.sorabatch.store.Item;

/**
 * When to check a running job next. Status calls are free but not unlimited, and every check made too late
 * keeps a paid slot busy, so the pacer aims one check just after the job finishes:
 * <ul>
 * <li>the provider's {@code openai-poll-after-ms} hint wins when present;</li>
 * <li>the first check goes at a little under the fastest recent duration of similar jobs (same model, seconds,
 * size), when there is one;</li>
 * <li>afterwards the reported progress gives the remaining time, assuming it rises steadily.</li>
 * </ul>
 * Every delay is clamped to [min, max], so there is never a tight loop and never a forgotten job.
 */
public final class PollPacer {

    private static final int SAMPLES = 32;

    private final Clock clock;
    private final long minMillis;
    private final long maxMillis;
    private final long initialMillis;
    private final Map<String, Deque<Long>> durations = new ConcurrentHashMap<>();

    public PollPacer(Clock clock, long minMillis, long maxMillis, long initialMillis) {
        this.clock = clock;
        this.minMillis = minMillis;
        this.maxMillis = maxMillis;
        this.initialMillis = initialMillis;
    }

    /** First check after a job was accepted. */
    public long firstCheck(Item item, VideoJob job) {
        if (job.pollAfterMillis() != null) {
            return at(job.pollAfterMillis());
        }
        long fastest = fastest(key(item));
        return at(fastest > 0 ? fastest * 9 / 10 : initialMillis);
    }

    /** Next check after a status call found the job still running. */
    public long nextCheck(Item item, VideoJob job) {
        if (job.pollAfterMillis() != null) {
            return at(job.pollAfterMillis());
        }
        long now = clock.millis();
        long elapsed = Math.max(1, now - (item.submittedAt() == null ? now : item.submittedAt()));
        int progress = job.progress();
        if (progress > 0 && progress < 100) {
            long remaining = elapsed * (100 - progress) / progress;
            return at(remaining + Math.min(1000, elapsed / 50));
        }
        long fastest = fastest(key(item));
        return at(fastest > elapsed ? fastest - elapsed : Math.max(initialMillis, elapsed / 2));
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

    private long at(long delay) {
        return clock.millis() + Math.max(minMillis, Math.min(maxMillis, delay));
    }

    private static String key(Item item) {
        return item.model() + '|' + item.seconds() + '|' + item.size();
    }
}

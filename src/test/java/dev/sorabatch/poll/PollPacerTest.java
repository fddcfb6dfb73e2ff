package dev.sorabatch.poll;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.sorabatch.ManualClock;

import dev.sorabatch.provider.JobStatus;
import dev.sorabatch.provider.VideoJob;
import dev.sorabatch.store.Item;
import dev.sorabatch.store.ItemState;

class PollPacerTest {

    private final ManualClock clock = new ManualClock(1_000_000);
    private final AtomicLong now = clock.millis;

    private static Item item(Long submittedAt) {
        return new Item(1, 1, "k", "k", 1, 1, ItemState.SUBMITTED, "p", "sora-2", 4, "720x1280", null, null, "{}",
                "video_1", 0, 1, 0, 0, 0, 0, null, null, 0, submittedAt, submittedAt, null, null, null, null, null,
                null, null, 1, "openai", null, null, true, null, null);
    }

    private static VideoJob job(JobStatus status, int progress, Long pollAfter) {
        return new VideoJob("video_1", status, progress, "sora-2", "p", 4, "720x1280", null, null, null, null, pollAfter);
    }

    /** A provider whose progress rises steadily: each job takes two checks, the second right after it ends. */
    @Test
    void steadyProgressTakesTwoChecksAndEndsLittleAfterTheJob() {
        PollPacer pacer = new PollPacer(clock, new PollSettings(200, 30_000, 10_000));
        Random random = new Random(7);
        pacer.learn(item(0L), 10_000);
        int checks = 0;
        long lateness = 0;
        int jobs = 200;
        for (int i = 0; i < jobs; i++) {
            long duration = 10_000 + random.nextInt(20_001);
            long submitted = now.get();
            Item item = item(submitted);
            long next = pacer.firstCheck(item, job(JobStatus.QUEUED, 0, null));
            while (true) {
                now.set(next);
                checks++;
                long elapsed = now.get() - submitted;
                if (elapsed >= duration) {
                    lateness += elapsed - duration;
                    break;
                }
                next = pacer.nextCheck(item, job(JobStatus.IN_PROGRESS, (int) (elapsed * 100 / duration), null));
            }
        }
        assertThat(checks / (double) jobs).isLessThanOrEqualTo(2.0);
        assertThat(lateness / jobs).as("mean lateness, ms").isLessThan(600);
    }

    @Test
    void providerPollAfterHintIsAFloor() {
        PollPacer pacer = new PollPacer(clock, new PollSettings(200, 30_000, 1_000));
        long start = now.get();
        assertThat(pacer.firstCheck(item(null), job(JobStatus.QUEUED, 0, 5_000L))).isEqualTo(start + 5_000);
        assertThat(pacer.firstCheck(item(null), job(JobStatus.QUEUED, 0, 100L))).isEqualTo(start + 1_000);
    }

    @Test
    void aProviderThatCallsBackIsPolledOnlyAtTheSafetyNetsPace() {
        PollPacer pacer = new PollPacer(clock, new PollSettings(200, 30_000, 1_000), Set.of("openai"),
                600_000);
        long start = now.get();
        assertThat(pacer.firstCheck(item(start), job(JobStatus.QUEUED, 0, null))).isEqualTo(start + 600_000);
        now.addAndGet(5_000);
        assertThat(pacer.nextCheck(item(start), job(JobStatus.IN_PROGRESS, 50, null))).isEqualTo(now.get() + 600_000);
        assertThat(pacer.firstCheck(item(start), job(JobStatus.COMPLETED, 100, null)))
                .as("a job done at its create is fetched at once").isEqualTo(now.get() + 200);
        PollPacer others = new PollPacer(clock, new PollSettings(200, 30_000, 1_000), Set.of("fal"), 600_000);
        assertThat(others.firstCheck(item(start), job(JobStatus.QUEUED, 0, null))).as("another provider's pace")
                .isEqualTo(now.get() + 1_000);
    }

    @Test
    void delaysStayWithinMinAndMax() {
        PollPacer pacer = new PollPacer(clock, new PollSettings(200, 30_000, 1_000));
        long start = now.get();
        now.addAndGet(100_000);
        assertThat(pacer.nextCheck(item(start), job(JobStatus.IN_PROGRESS, 1, null))).isEqualTo(now.get() + 30_000);
        assertThat(pacer.firstCheck(item(null), job(JobStatus.COMPLETED, 100, null))).isEqualTo(now.get() + 200);
    }
}

package dev.sorabatch.simulator;


import java.time.Duration;
import java.time.Instant;

/**
 * One generation. Its whole timeline is fixed at creation and the status is derived from the clock, so no
 * background thread advances jobs. As on the real service, progress measures the whole job: it rises steadily from
 * the create to the end, so that {@code elapsed * 100 / progress} tells the total time. The job reports
 * {@code queued} (progress 0) during a short start-up, 2 % of the generation time and at most one second, then
 * {@code in_progress}, then completed or failed. A failed job reports progress 0.
 */
final class Job {

    private static final Wire.JobError FAILURE =
            new Wire.JobError("video_generation_failed", "Video generation failed. Please try again.");

    /** What the client asked for; {@code remixOf} is null unless this job is a remix. */
    record Spec(String model, String prompt, String seconds, String size, String remixOf) {
    }

    private final String id;
    private final long seq;
    private final Spec spec;
    private final Instant createdAt;
    private final long createdMillis;
    private final long startsAt;
    private final long endsAt;
    private final boolean fails;

    Job(String id, long seq, Spec spec, Instant createdAt, Duration generation, boolean fails) {
        this.id = id;
        this.seq = seq;
        this.spec = spec;
        this.createdAt = createdAt;
        this.createdMillis = createdAt.toEpochMilli();
        this.startsAt = createdMillis + Math.min(1000, generation.toMillis() / 50);
        this.endsAt = createdAt.toEpochMilli() + generation.toMillis();
        this.fails = fails;
    }

    String id() {
        return id;
    }

    long seq() {
        return seq;
    }

    Spec spec() {
        return spec;
    }

    Instant createdAt() {
        return createdAt;
    }

    /** Epoch millis at which the job leaves the in-flight set. */
    long endsAt() {
        return endsAt;
    }

    boolean fails() {
        return fails;
    }

    Status status(long now) {
        if (now < startsAt) {
            return Status.QUEUED;
        }
        if (now < endsAt) {
            return Status.IN_PROGRESS;
        }
        return fails ? Status.FAILED : Status.COMPLETED;
    }

    /** Whether a completed job's content is gone. */
    boolean expired(long now, Duration expiry) {
        return now >= endsAt + expiry.toMillis();
    }

    Wire.Video view(long now, Duration expiry) {
        Status status = status(now);
        boolean completed = status == Status.COMPLETED;
        int progress = switch (status) {
            case QUEUED, FAILED -> 0;
            // capped below 100 so that 100 always means "content is ready"
            case IN_PROGRESS -> (int) Math.min(99, (now - createdMillis) * 100 / Math.max(1, endsAt - createdMillis));
            case COMPLETED -> 100;
        };
        return new Wire.Video(id, "video", spec.model(), status.wire(), progress, createdAt.getEpochSecond(),
                completed ? endsAt / 1000 : null, completed ? (endsAt + expiry.toMillis()) / 1000 : null,
                spec.prompt(), spec.size(), spec.seconds(), spec.remixOf(), status == Status.FAILED ? FAILURE : null);
    }
}

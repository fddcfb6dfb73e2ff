package dev.sorabatch.simulator;

import java.time.Duration;
import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One generation. Its whole timeline is fixed at creation and its phase is derived from the clock, so no background
 * thread advances jobs. A job over the in-flight limit of a face that queues (Runway, fal, Replicate) waits until
 * the earliest slot frees ({@code slotAt}); then, as on the real services, it spends a short start-up (2 % of the
 * generation time, at most one second) before it runs. Progress measures the whole job, from the slot to the end,
 * so that {@code elapsed * 100 / progress} tells the total time.
 */
final class Job {

    /** What the client asked for; {@code input} is the face's own request body, echoed where its wire does. */
    record Spec(String model, String prompt, String seconds, String size, String remixOf, JsonNode input) {
    }

    /** How the job ends, drawn at creation. */
    enum Outcome { SUCCEEDS, FAILS, BLOCKED }

    enum Phase {
        /** over the in-flight limit, waiting for a slot (Runway THROTTLED, fal IN_QUEUE with a position) */
        WAITING,
        /** accepted, starting up */
        PENDING,
        RUNNING,
        SUCCEEDED,
        FAILED,
        CANCELLED;

        boolean finished() {
            return this == SUCCEEDED || this == FAILED || this == CANCELLED;
        }
    }

    private final String id;
    private final long seq;
    private final Spec spec;
    private final Instant createdAt;
    private final long slotAt;
    private final long startsAt;
    private final long endsAt;
    private final Outcome outcome;
    private volatile long cancelledAt = Long.MAX_VALUE;

    Job(String id, long seq, Spec spec, Instant createdAt, long slotAt, Duration generation, Outcome outcome) {
        this.id = id;
        this.seq = seq;
        this.spec = spec;
        this.createdAt = createdAt;
        this.slotAt = Math.max(slotAt, createdAt.toEpochMilli());
        this.startsAt = this.slotAt + Math.min(1000, generation.toMillis() / 50);
        this.endsAt = this.slotAt + generation.toMillis();
        this.outcome = outcome;
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

    /** Epoch millis at which the job leaves its slot. */
    long endsAt() {
        return endsAt;
    }

    /** When it finished, where it has. */
    Instant finishedAt(long now) {
        Phase phase = phase(now);
        if (!phase.finished()) {
            return null;
        }
        return Instant.ofEpochMilli(phase == Phase.CANCELLED ? cancelledAt : endsAt);
    }

    Outcome outcome() {
        return outcome;
    }

    /** Stops a job that has not finished; a finished one keeps its end. */
    synchronized boolean cancel(long now) {
        if (phase(now).finished()) {
            return false;
        }
        cancelledAt = now;
        return true;
    }

    Phase phase(long now) {
        if (now >= cancelledAt) {
            return Phase.CANCELLED;
        }
        if (now < slotAt) {
            return Phase.WAITING;
        }
        if (now < startsAt) {
            return Phase.PENDING;
        }
        if (now < endsAt) {
            return Phase.RUNNING;
        }
        return outcome == Outcome.SUCCEEDS ? Phase.SUCCEEDED : Phase.FAILED;
    }

    /** 0–100 over the whole job; capped below 100 while it runs, so that 100 always means "content is ready". */
    int progress(long now) {
        return switch (phase(now)) {
            case WAITING, PENDING, FAILED, CANCELLED -> 0;
            case RUNNING -> (int) Math.min(99, (now - slotAt) * 100 / Math.max(1, endsAt - slotAt));
            case SUCCEEDED -> 100;
        };
    }

    /** Whether a completed job's content is gone. */
    boolean expired(long now, Duration expiry) {
        return now >= endsAt + expiry.toMillis();
    }

    /** When a completed job's content goes. */
    Instant expiresAt(Duration expiry) {
        return Instant.ofEpochMilli(endsAt + expiry.toMillis());
    }
}

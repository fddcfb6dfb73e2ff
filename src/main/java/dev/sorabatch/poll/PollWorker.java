package dev.sorabatch.poll;

import java.sql.SQLException;
import java.util.List;

import dev.sorabatch.provider.ProviderException;
import dev.sorabatch.provider.JobRef;
import dev.sorabatch.provider.RetryPolicy;
import dev.sorabatch.provider.VideoJob;
import dev.sorabatch.provider.VideoProvider;
import dev.sorabatch.run.RunControl;
import dev.sorabatch.store.Item;
import dev.sorabatch.store.ItemState;
import dev.sorabatch.store.JobStore;

/** Checks submitted jobs when their next check is due, and records what the provider says. */
public class PollWorker {

    private final JobStore store;
    private final VideoProvider provider;
    private final PollPacer pacer;
    private final RetryPolicy retry;
    private final RunControl run;
    private final int batchSize;
    private final long leaseMillis;
    private final String owner;

    public PollWorker(JobStore store, VideoProvider provider, PollPacer pacer, RetryPolicy retry, RunControl run,
                      int batchSize, long leaseMillis, String owner) {
        this.store = store;
        this.provider = provider;
        this.pacer = pacer;
        this.retry = retry;
        this.run = run;
        this.batchSize = batchSize;
        this.leaseMillis = leaseMillis;
        this.owner = owner;
    }

    public List<Item> claim() throws SQLException {
        return run.halted() ? List.of() : store.claimDue(ItemState.SUBMITTED, batchSize, leaseMillis, owner);
    }

    public void check(Item item) throws SQLException {
        try {
            VideoJob job = provider.status(JobRef.of(item.providerJobId()));
            switch (job.status()) {
                case QUEUED, IN_PROGRESS -> store.recordProgress(item.id(), job.progress(), pacer.nextCheck(item, job));
                case COMPLETED -> {
                    long now = store.now();
                    if (store.markCompleted(item.id(), now, job.expiresAt() == null ? null : job.expiresAt().toEpochMilli())
                            && item.submittedAt() != null) {
                        pacer.learn(item, now - item.submittedAt());
                    }
                }
                case FAILED -> store.finish(item.id(), ItemState.SUBMITTED, ItemState.FAILED,
                        job.error() == null ? "generation_failed" : job.error().code(),
                        job.error() == null ? "the provider reported the job as failed" : job.error().message());
            }
        } catch (ProviderException e) {
            String code = e.code();
            switch (e.kind()) {
                case NOT_FOUND -> store.finish(item.id(), ItemState.SUBMITTED, ItemState.FAILED, "job_not_found",
                        "the provider no longer knows job " + item.providerJobId());
                case AUTH -> {
                    store.reschedule(item.id(), ItemState.SUBMITTED, store.now(), code, e.getMessage());
                    run.credentialsRefused(e);
                }
                default -> store.reschedule(item.id(), ItemState.SUBMITTED,
                        store.now() + retry.delayMillis(item.failures() + 1, e.retryAfter()), code, e.getMessage());
            }
        }
    }
}

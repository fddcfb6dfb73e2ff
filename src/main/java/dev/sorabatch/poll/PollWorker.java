package dev.sorabatch.poll;

import java.sql.SQLException;
import java.util.List;

import dev.sorabatch.provider.ProviderException;
import dev.sorabatch.provider.ProviderRegistry;
import dev.sorabatch.provider.JobRef;
import dev.sorabatch.provider.VideoJob;
import dev.sorabatch.provider.VideoProvider;
import dev.sorabatch.store.Item;
import dev.sorabatch.store.ItemState;
import dev.sorabatch.store.JobStore;
import dev.sorabatch.store.Move;
import dev.sorabatch.worker.Backoff;
import dev.sorabatch.worker.Failures;
import dev.sorabatch.worker.WorkContext;
import dev.sorabatch.worker.Worker;

/** Checks submitted jobs when their paced next check is due, and records what the provider says. */
public class PollWorker implements Worker<Item> {

    private final WorkContext work;
    private final JobStore store;
    private final ProviderRegistry providers;
    private final PollPacer pacer;
    private final Backoff backoff;

    /** A single provider. */
    public PollWorker(WorkContext work, VideoProvider provider, PollPacer pacer, Backoff backoff) {
        this(work, ProviderRegistry.single(provider, null), pacer, backoff);
    }

    /** @param backoff of free calls */
    public PollWorker(WorkContext work, ProviderRegistry providers, PollPacer pacer, Backoff backoff) {
        this.work = work;
        this.store = work.store();
        this.providers = providers;
        this.pacer = pacer;
        this.backoff = backoff;
    }

    @Override
    public List<Item> claim() throws SQLException {
        return work.claimDue(ItemState.SUBMITTED);
    }

    @Override
    public void work(Item item) throws SQLException {
        try {
            work.meters().statusCalled();
            VideoJob job = providers.adapter(item.provider()).status(new JobRef(item.providerJobId(),
                    item.providerJobHandle()));
            switch (job.status()) {
                case QUEUED, IN_PROGRESS -> store.items().recordProgress(item.id(), job.progress(),
                        pacer.nextCheck(item, job));
                case COMPLETED -> {
                    long now = work.now();
                    if (store.items().completed(item.id(), now,
                            job.expiresAt() == null ? null : job.expiresAt().toEpochMilli())
                            && item.submittedAt() != null) {
                        pacer.learn(item, now - item.submittedAt());
                    }
                }
                case FAILED -> store.items().finish(item.id(), Move.JOB_FAILED,
                        job.error() == null ? "generation_failed" : job.error().code(),
                        job.error() == null ? "the provider reported the job as failed" : job.error().message());
                // cancelled at the provider (its dashboard, another client): no video will come
                case CANCELLED -> store.items().finish(item.id(), Move.JOB_FAILED, "job_cancelled",
                        "job " + item.providerJobId() + " was cancelled at " + item.provider()
                                + " before it finished");
            }
        } catch (ProviderException e) {
            work.failures().freeCall(item, ItemState.SUBMITTED, e, new Failures.Gone(Move.JOB_FAILED, "job_not_found",
                    "the provider no longer knows job " + item.providerJobId()),
                    work.now() + backoff.delayMillis(item.failures() + 1, e.retryAfter()));
        }
    }
}

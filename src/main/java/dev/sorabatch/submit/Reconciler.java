package dev.sorabatch.submit;

import java.sql.SQLException;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sorabatch.poll.PollPacer;
import dev.sorabatch.provider.ProviderException;
import dev.sorabatch.provider.RetryPolicy;
import dev.sorabatch.provider.VideoJob;
import dev.sorabatch.provider.VideoProvider;
import dev.sorabatch.store.Item;
import dev.sorabatch.store.ItemState;
import dev.sorabatch.store.JobStore;

/**
 * Settles items left SUBMITTING: a create whose response was lost, timed out or failed with 5xx, or whose
 * worker died. The provider's job list is searched for a job with the same prompt, model, size and seconds
 * created around the attempt and not already held by another item; found, it is adopted (no second payment);
 * proven absent by a complete listing, the item may be created again; otherwise, after a few tries, the item is
 * UNCERTAIN for a human to look at.
 */
public class Reconciler {

    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

    private final JobStore store;
    private final VideoProvider provider;
    private final RetryPolicy retry;
    private final PollPacer pacer;
    private final int maxAttempts;
    private final long windowMillis;
    private final long leaseMillis;
    private final int batchSize;
    private final String owner;

    public Reconciler(JobStore store, VideoProvider provider, RetryPolicy retry, PollPacer pacer, int maxAttempts,
                      long windowMillis, long leaseMillis, int batchSize, String owner) {
        this.store = store;
        this.provider = provider;
        this.retry = retry;
        this.pacer = pacer;
        this.maxAttempts = maxAttempts;
        this.windowMillis = windowMillis;
        this.leaseMillis = leaseMillis;
        this.batchSize = batchSize;
        this.owner = owner;
    }

    /** One listing serves every item due for reconciliation. */
    public void reconcileDue() throws SQLException {
        List<Item> due = store.claimDue(ItemState.SUBMITTING, batchSize, leaseMillis, owner);
        if (due.isEmpty()) {
            return;
        }
        long earliest = due.stream().mapToLong(this::attemptedAt).min().orElseThrow() - windowMillis;
        List<VideoJob> jobs;
        try {
            jobs = provider.list(Instant.ofEpochMilli(earliest));
        } catch (ProviderException e) {
            for (Item item : due) {
                unresolved(item, "could not list the provider's jobs: " + e.getMessage());
            }
            return;
        }
        Set<String> taken = new HashSet<>(store.heldJobIds(jobs.stream().map(VideoJob::id).collect(Collectors.toSet())));
        due.sort(Comparator.comparingLong(this::attemptedAt));
        for (Item item : due) {
            Optional<VideoJob> match = jobs.stream()
                    .filter(job -> !taken.contains(job.id()) && matches(item, job))
                    .min(Comparator.comparingLong(job -> Math.abs(job.createdAt().toEpochMilli() - attemptedAt(item))));
            if (match.isPresent()) {
                VideoJob job = match.get();
                taken.add(job.id());
                if (store.adoptJob(item.id(), job.id(), job.createdAt().toEpochMilli(), pacer.firstCheck(item, job))) {
                    LOG.info("Reconciled {}: adopted job {} whose create response was lost", item.itemKey(), job.id());
                }
            } else if (jobs.stream().anyMatch(job -> job.prompt() == null)) {
                unresolved(item, "the provider's job list does not show prompts, so a lost create cannot be ruled out");
            } else {
                LOG.info("Reconciled {}: the provider holds no such job, so it will be created", item.itemKey());
                store.backToPending(item.id(), store.now(), "create_not_received",
                        "the create did not reach the provider; sent again");
            }
        }
    }

    private void unresolved(Item item, String reason) throws SQLException {
        if (item.reconcileTries() + 1 >= maxAttempts) {
            LOG.warn("{} is UNCERTAIN: {}", item.itemKey(), reason);
            store.finish(item.id(), ItemState.SUBMITTING, ItemState.UNCERTAIN, "create_outcome_unknown",
                    "a create may have been accepted but could not be matched to a provider job (" + reason
                            + "); check the provider's dashboard before creating it again");
        } else {
            store.reconcileLater(item.id(), store.now() + retry.delayMillis(item.reconcileTries() + 1, null),
                    "reconcile_pending", reason);
        }
    }

    private boolean matches(Item item, VideoJob job) {
        long created = job.createdAt() == null ? Long.MIN_VALUE : job.createdAt().toEpochMilli();
        long at = attemptedAt(item);
        return Objects.equals(item.prompt(), job.prompt())
                && Objects.equals(item.size(), job.size())
                && Objects.equals(item.seconds(), job.seconds())
                && (job.model() == null || job.model().startsWith(item.model()) || !item.model().startsWith("sora"))
                // created_at has one-second resolution and the clocks differ a little
                && created >= at - windowMillis && created <= at + windowMillis;
    }

    private long attemptedAt(Item item) {
        return item.submittingAt() == null ? item.createdAt() : item.submittingAt();
    }
}

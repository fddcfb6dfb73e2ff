package dev.sorabatch.submit;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sorabatch.provider.ProviderException;
import dev.sorabatch.provider.VideoJob;
import dev.sorabatch.provider.VideoProvider;
import dev.sorabatch.store.Item;
import dev.sorabatch.store.ItemState;
import dev.sorabatch.store.JobStore;
import dev.sorabatch.store.Move;
import dev.sorabatch.worker.Backoff;
import dev.sorabatch.worker.CheckSchedule;
import dev.sorabatch.worker.WorkContext;
import dev.sorabatch.worker.Worker;

/**
 * Settles items left SUBMITTING: a create whose response was lost, timed out or failed with 5xx, or whose
 * worker died. The provider's job list is searched for a job with the same prompt, model, size and seconds
 * created around the attempt and not already held by another item; found, it is adopted (no second payment);
 * proven absent by a complete listing, the item may be created again; otherwise, after a few tries, the item is
 * UNCERTAIN for a human to look at. One claim is one {@link Round}: every due item, settled by one listing.
 */
public class Reconciler implements Worker<Reconciler.Round> {

    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

    /** The due SUBMITTING items, claimed together. */
    public record Round(List<Item> items) {
    }

    private final WorkContext work;
    private final JobStore store;
    private final VideoProvider provider;
    private final SubmitSettings settings;
    private final Backoff backoff;
    private final CheckSchedule schedule;

    /** @param backoff of free calls: listings cost nothing */
    public Reconciler(WorkContext work, VideoProvider provider, SubmitSettings settings, Backoff backoff,
                      CheckSchedule schedule) {
        this.work = work;
        this.store = work.store();
        this.provider = provider;
        this.settings = settings;
        this.backoff = backoff;
        this.schedule = schedule;
    }

    @Override
    public List<Round> claim() throws SQLException {
        List<Item> due = work.claimDue(ItemState.SUBMITTING);
        return due.isEmpty() ? List.of() : List.of(new Round(due));
    }

    /** One listing serves every item of the round. */
    @Override
    public void work(Round round) throws SQLException {
        List<Item> due = new ArrayList<>(round.items());
        long window = settings.reconcileWindowMillis();
        long earliest = due.stream().mapToLong(Reconciler::attemptedAt).min().orElseThrow() - window;
        List<VideoJob> jobs;
        try {
            jobs = provider.list(Instant.ofEpochMilli(earliest));
        } catch (ProviderException e) {
            for (Item item : due) {
                unresolved(item, "could not list the provider's jobs: " + e.getMessage());
            }
            return;
        }
        Set<String> taken = new HashSet<>(store.items().heldJobIds(jobs.stream().map(VideoJob::id)
                .collect(Collectors.toSet())));
        due.sort(Comparator.comparingLong(Reconciler::attemptedAt));
        for (Item item : due) {
            Optional<VideoJob> match = jobs.stream()
                    .filter(job -> !taken.contains(job.id()) && matches(item, job, window))
                    .min(Comparator.comparingLong(job -> Math.abs(job.createdAt().toEpochMilli() - attemptedAt(item))));
            if (match.isPresent()) {
                VideoJob job = match.get();
                taken.add(job.id());
                if (store.items().accepted(item.id(), job.id(), job.createdAt().toEpochMilli(),
                        schedule.firstCheck(item, job))) {
                    LOG.info("Reconciled {}: adopted job {} whose create response was lost", item.itemKey(), job.id());
                }
            } else if (jobs.stream().anyMatch(job -> job.prompt() == null)) {
                unresolved(item, "the provider's job list does not show prompts, so a lost create cannot be ruled out");
            } else {
                LOG.info("Reconciled {}: the provider holds no such job, so it will be created", item.itemKey());
                store.items().backToPending(item.id(), work.now(), "create_not_received",
                        "the create did not reach the provider; sent again");
            }
        }
    }

    private void unresolved(Item item, String reason) throws SQLException {
        if (item.reconcileTries() + 1 >= settings.reconcileAttempts()) {
            LOG.warn("{} is UNCERTAIN: {}", item.itemKey(), reason);
            store.items().finish(item.id(), Move.CREATE_UNCERTAIN, "create_outcome_unknown",
                    "a create may have been accepted but could not be matched to a provider job (" + reason
                            + "); check the provider's dashboard before creating it again");
        } else {
            store.items().reconcileLater(item.id(), work.now() + backoff.delayMillis(item.reconcileTries() + 1, null),
                    "reconcile_pending", reason);
        }
    }

    private static boolean matches(Item item, VideoJob job, long window) {
        long created = job.createdAt() == null ? Long.MIN_VALUE : job.createdAt().toEpochMilli();
        long at = attemptedAt(item);
        return Objects.equals(item.prompt(), job.prompt())
                && Objects.equals(item.size(), job.size())
                && Objects.equals(item.seconds(), job.seconds())
                && (job.model() == null || job.model().startsWith(item.model()) || !item.model().startsWith("sora"))
                // created_at has one-second resolution and the clocks differ a little
                && created >= at - window && created <= at + window;
    }

    private static long attemptedAt(Item item) {
        return item.submittingAt() == null ? item.createdAt() : item.submittingAt();
    }
}

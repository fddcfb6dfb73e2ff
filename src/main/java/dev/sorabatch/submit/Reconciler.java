package dev.sorabatch.submit;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sorabatch.provider.Capability;
import dev.sorabatch.provider.ProviderException;
import dev.sorabatch.provider.ProviderRegistry;
import dev.sorabatch.provider.VideoJob;
import dev.sorabatch.provider.VideoProvider;
import dev.sorabatch.store.Item;
import dev.sorabatch.store.ItemState;
import dev.sorabatch.store.JobStore;
import dev.sorabatch.store.Move;
import dev.sorabatch.worker.Backoff;
import dev.sorabatch.worker.CheckSchedule;
import dev.sorabatch.worker.Failures;
import dev.sorabatch.worker.WorkContext;
import dev.sorabatch.worker.Worker;

/**
 * Settles items left SUBMITTING: a create whose response was lost, timed out or failed with 5xx, or whose
 * worker died. The provider's job list is searched for a job with the same prompt, model, size and seconds
 * created around the attempt and not already held by another item; found, it is adopted (no second payment);
 * proven absent by a complete listing, the item may be created again; otherwise, after a few tries, the item is
 * UNCERTAIN for a human to look at. One claim is one {@link Round} per provider: its due items, settled by one
 * listing. A provider that cannot list settles its items by what it can do instead ({@link Failures#ambiguous}):
 * re-sent with the same key where it deduplicates creates, else UNCERTAIN at once.
 */
public class Reconciler implements Worker<Reconciler.Round> {

    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);
    /** The code kept on an item whose create's outcome is being settled. */
    private static final String UNKNOWN_OUTCOME = "outcome_unknown";

    /** The due SUBMITTING items of one provider, claimed together. */
    public record Round(String provider, List<Item> items) {
    }

    private final WorkContext work;
    private final JobStore store;
    private final ProviderRegistry providers;
    private final SubmitSettings settings;
    private final Backoff backoff;
    private final CheckSchedule schedule;

    /** @param backoff of free calls: listings cost nothing */
    public Reconciler(WorkContext work, VideoProvider provider, SubmitSettings settings, Backoff backoff,
                      CheckSchedule schedule) {
        this(work, ProviderRegistry.of(ProviderRegistry.OPENAI, provider, settings.limits()), settings, backoff,
                schedule);
    }

    /** @param backoff of free calls: listings cost nothing */
    public Reconciler(WorkContext work, ProviderRegistry providers, SubmitSettings settings, Backoff backoff,
                      CheckSchedule schedule) {
        this.work = work;
        this.store = work.store();
        this.providers = providers;
        this.settings = settings;
        this.backoff = backoff;
        this.schedule = schedule;
    }

    @Override
    public List<Round> claim() throws SQLException {
        Map<String, List<Item>> byProvider = work.claimDue(ItemState.SUBMITTING).stream()
                .collect(Collectors.groupingBy(Item::provider, LinkedHashMap::new, Collectors.toList()));
        return byProvider.entrySet().stream().map(e -> new Round(e.getKey(), e.getValue())).toList();
    }

    /** One listing serves every item of the round. */
    @Override
    public void work(Round round) throws SQLException {
        VideoProvider provider = providers.adapter(round.provider());
        if (!provider.capabilities().contains(Capability.LIST)) {
            for (Item item : round.items()) {
                work.failures().ambiguous(item, item.errorMessage() != null ? item.errorMessage()
                        : "its create was under way when the worker sending it stopped", UNKNOWN_OUTCOME, work.now(),
                        item.attempts() >= settings.reconcileAttempts(), work.now(), provider.capabilities());
            }
            return;
        }
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
                if (store.items().accepted(item.id(), job.id(), job.handle(), job.createdAt().toEpochMilli(),
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
            store.items().finish(item.id(), Move.CREATE_UNCERTAIN, Failures.UNKNOWN_CREATE,
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

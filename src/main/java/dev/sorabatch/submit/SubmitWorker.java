package dev.sorabatch.submit;

import java.io.IOException;
import java.sql.SQLException;
import java.util.List;

import dev.sorabatch.catalog.Frame;
import dev.sorabatch.provider.ProviderError;
import dev.sorabatch.provider.ProviderException;
import dev.sorabatch.provider.ReferenceImage;
import dev.sorabatch.provider.VideoJob;
import dev.sorabatch.provider.VideoProvider;
import dev.sorabatch.provider.VideoRequest;
import dev.sorabatch.reference.InputReferences;
import dev.sorabatch.store.Item;
import dev.sorabatch.store.ItemState;
import dev.sorabatch.store.JobStore;
import dev.sorabatch.worker.Backoff;
import dev.sorabatch.worker.CheckSchedule;
import dev.sorabatch.worker.WorkContext;
import dev.sorabatch.worker.Worker;

/**
 * Sends creates for pending items, within the rate limit, the in-flight limit and the provider's own concurrency
 * ceiling ({@link ConcurrencyCeiling}). Each item is SUBMITTING (committed) before its create and SUBMITTED with
 * the job id right after; when the outcome of a create is unknown the item stays SUBMITTING and goes to
 * {@link Reconciler}, never straight to a second create.
 */
public class SubmitWorker implements Worker<Item> {

    private final WorkContext work;
    private final JobStore store;
    private final VideoProvider provider;
    private final SubmitSettings settings;
    private final Backoff backoff;
    private final CheckSchedule schedule;
    private final InputReferences references;
    private final CreateRateLimiter limiter;
    private final ConcurrencyCeiling ceiling;

    /** @param backoff of creates */
    public SubmitWorker(WorkContext work, VideoProvider provider, SubmitSettings settings, Backoff backoff,
                        CheckSchedule schedule, InputReferences references) {
        this.work = work;
        this.store = work.store();
        this.provider = provider;
        this.settings = settings;
        this.backoff = backoff;
        this.schedule = schedule;
        this.references = references;
        this.limiter = new CreateRateLimiter(work.clock(), settings.requestsPerMinute(), settings.burst(),
                settings.marginMillis());
        this.ceiling = new ConcurrencyCeiling(work.clock(), settings.maxInFlight());
    }

    /** Claims as many pending items as free slots and rate permits allow right now. */
    @Override
    public List<Item> claim() throws SQLException {
        int wanted = Math.min(work.settings().claimSize(),
                Math.min(ceiling.get() - store.claims().countInFlight(), limiter.available()));
        if (wanted <= 0) {
            return List.of();
        }
        List<Item> items = store.claims().forCreate(wanted, settings.createLeaseMillis(), work.settings().owner());
        int granted = limiter.acquire(items.size());
        for (Item unsent : items.subList(granted, items.size())) {
            store.items().releaseUnsent(unsent.id(), work.now(), null, null);
        }
        return items.subList(0, granted);
    }

    @Override
    public void work(Item item) throws SQLException {
        long now = work.now();
        try {
            VideoJob job = provider.submit(request(item), item.itemKey());
            if (!store.items().accepted(item.id(), job.id(), work.now(), schedule.firstCheck(item, job))) {
                // the job id is already held (reconciliation adopted it): let reconciliation settle this item
                store.items().reschedule(item.id(), ItemState.SUBMITTING, now, "submit_conflict",
                        "job " + job.id() + " was already recorded for another item");
            }
        } catch (ProviderException e) {
            long delay = backoff.delayMillis(item.failures() + 1, e.retryAfter());
            boolean rateLimited = e.httpStatus() == 429;
            if (rateLimited) {
                limiter.pauseUntil(now + delay); // no create at all before the provider's Retry-After
                String message = e.error() == null ? null : e.error().message();
                if (ConcurrencyCeiling.aboutConcurrency(message)) {
                    ceiling.lower(message, this::inFlight);
                }
            }
            work.failures().create(item, e, now + delay, !rateLimited && backoff.exhausted(item.attempts()),
                    now + settings.reconcileAfterMillis());
        }
    }

    /** The provider's current concurrency ceiling, as learned. */
    int ceiling() {
        return ceiling.get();
    }

    private int inFlight() {
        try {
            return store.claims().countInFlight();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code remix_of} may name an item of an earlier batch: send its provider job id. */
    private VideoRequest request(Item item) throws SQLException, ProviderException {
        String remixOf = item.remixOf();
        if (remixOf != null) {
            remixOf = store.items().jobIdOfRequest(remixOf).orElse(remixOf);
        }
        // every model this pipeline sends to today (OpenAI's) makes sound; the frame is the validated size
        return new VideoRequest(item.prompt(), item.model(), item.seconds(), Frame.ofSize(item.size()).orElseThrow(),
                true, image(item.inputReference()), remixOf);
    }

    /** The first-frame image, read now: nothing is sent if it cannot be, and the reason is kept. */
    private ReferenceImage image(String reference) throws ProviderException {
        if (reference == null) {
            return null;
        }
        try {
            InputReferences.Image image = references.read(reference);
            return new ReferenceImage(image.bytes(), image.contentType(), image.fileName());
        } catch (InputReferences.Unusable e) {
            throw new ProviderException(ProviderException.Kind.REJECTED, 0, new ProviderError(
                    "input_reference_unreadable", "input_reference cannot be used: " + e.getMessage()), null, e);
        } catch (IOException e) {
            throw new ProviderException(ProviderException.Kind.RETRYABLE, 0, new ProviderError(
                    "input_reference_unavailable", e.getMessage()), null, e);
        }
    }
}

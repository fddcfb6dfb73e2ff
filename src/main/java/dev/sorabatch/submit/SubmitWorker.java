package dev.sorabatch.submit;

import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.sorabatch.budget.Budget;
import dev.sorabatch.catalog.Frame;
import dev.sorabatch.provider.ProviderError;
import dev.sorabatch.provider.ProviderException;
import dev.sorabatch.provider.ProviderRegistry;
import dev.sorabatch.provider.ReferenceImage;
import dev.sorabatch.provider.VideoJob;
import dev.sorabatch.provider.VideoProvider;
import dev.sorabatch.provider.VideoRequest;
import dev.sorabatch.reference.InputReferences;
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
 * Sends creates for pending items, each provider within its own rate limit, in-flight limit and learned concurrency
 * ceiling, kept in the job store so that every instance on it keeps to them together ({@link ProviderLane}). Each
 * item is SUBMITTING (committed) before its create and SUBMITTED with the job id right after; when the outcome of a
 * create is unknown, what happens next follows from what the provider can do
 * ({@link dev.sorabatch.worker.Failures#ambiguous}), never a blind second create.
 */
public class SubmitWorker implements Worker<Item> {

    /** The error code of an item not sent because its provider's creates stopped. */
    static final String QUOTA_CODE = "quota_exhausted";

    private final WorkContext work;
    private final JobStore store;
    private final SubmitSettings settings;
    private final Backoff backoff;
    private final CheckSchedule schedule;
    private final InputReferences references;
    private final Map<String, ProviderLane> lanes = new LinkedHashMap<>();
    private final AtomicInteger turn = new AtomicInteger();
    private final Budget budget;

    /** A single provider, with the global limits. */
    public SubmitWorker(WorkContext work, VideoProvider provider, SubmitSettings settings, Backoff backoff,
                        CheckSchedule schedule, InputReferences references, Budget budget) {
        this(work, ProviderRegistry.of(ProviderRegistry.OPENAI, provider, settings.limits()), settings, backoff, schedule,
                references, budget);
    }

    /**
     * @param backoff of creates
     * @param budget  reserves each create's price before it is sent; ends items that would pass a budget
     */
    public SubmitWorker(WorkContext work, ProviderRegistry providers, SubmitSettings settings, Backoff backoff,
                        CheckSchedule schedule, InputReferences references, Budget budget) {
        this.work = work;
        this.store = work.store();
        this.settings = settings;
        this.backoff = backoff;
        this.schedule = schedule;
        this.references = references;
        for (ProviderRegistry.Entry entry : providers.entries()) {
            lanes.put(entry.name(), new ProviderLane(entry, store, settings.marginMillis()));
        }
        this.budget = budget;
    }

    /**
     * Claims, provider by provider (starting with a different one each time), as many pending items as that
     * provider's free slots and rate permit right now, across every instance. Items the budget ends give their
     * grants back. Items for a provider whose creates stopped are claimed to be failed with the reason, without a
     * call.
     */
    @Override
    public List<Item> claim() throws SQLException {
        List<ProviderLane> order = new ArrayList<>(lanes.values());
        Collections.rotate(order, -Math.floorMod(turn.getAndIncrement(), order.size()));
        List<Item> claimed = new ArrayList<>();
        for (ProviderLane lane : order) {
            int room = work.settings().claimSize() - claimed.size();
            if (room <= 0) {
                break;
            }
            if (lane.stopped() != null || !work.failures().providerOpen(lane.name())) {
                if (lane.stopped() != null) {
                    claimed.addAll(store.claims().forCreate(lane.name(), room, settings.createLeaseMillis(),
                            work.settings().owner()));
                }
                continue;
            }
            List<Item> granted = lane.claim(room, settings.createLeaseMillis(), work.settings().owner());
            List<Item> admitted = budget.admit(granted);
            if (admitted.size() < granted.size()) {
                lane.unsent(granted.stream().filter(item -> !admitted.contains(item)).toList());
            }
            claimed.addAll(admitted);
        }
        return claimed;
    }

    @Override
    public void work(Item item) throws SQLException {
        long now = work.now();
        ProviderLane lane = lane(item);
        String stopped = lane.stopped();
        if (stopped != null) {
            store.items().finish(item.id(), Move.CREATE_FAILED, QUOTA_CODE,
                    "not sent: " + Failures.quotaMessage(lane.name(), stopped));
            return;
        }
        VideoProvider provider = lane.provider.adapter();
        try {
            VideoRequest request = request(item);
            work.meters().created();
            VideoJob job = provider.submit(request, item.idempotencyKey());
            if (!store.items().accepted(item.id(), job.id(), job.handle(), work.now(), schedule.firstCheck(item, job))) {
                // the job id is already held (reconciliation adopted it): let reconciliation settle this item
                store.items().reschedule(item.id(), ItemState.SUBMITTING, now, "submit_conflict",
                        "job " + job.id() + " was already recorded for another item");
            }
        } catch (ProviderException e) {
            long delay = backoff.delayMillis(item.failures() + 1, e.retryAfter());
            boolean rateLimited = e.httpStatus() == 429;
            if (rateLimited) {
                // no create at all, from any instance, before the provider's Retry-After
                lane.rateLimited(now + delay, e.error() == null ? null : e.error().message());
            }
            if (e.kind() == ProviderException.Kind.QUOTA_EXHAUSTED) {
                lane.stop(e.getMessage());
            }
            work.failures().create(item, e, now + delay, !rateLimited && backoff.exhausted(item.attempts()),
                    now + settings.reconcileAfterMillis(), provider.capabilities());
        }
    }

    /** The default provider's current concurrency ceiling, as learned by any instance on the store. */
    public int ceiling() {
        try {
            return lanes.values().iterator().next().ceiling();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private ProviderLane lane(Item item) {
        ProviderLane lane = lanes.get(item.provider());
        if (lane == null) {
            throw new IllegalStateException("item " + item.itemKey() + " is for provider " + item.provider()
                    + ", which this run has not enabled (enabled: " + String.join(", ", lanes.keySet()) + ")");
        }
        return lane;
    }

    /** {@code remix_of} may name an item of an earlier batch: send its provider job id. */
    private VideoRequest request(Item item) throws SQLException, ProviderException {
        String remixOf = item.remixOf();
        if (remixOf != null) {
            remixOf = store.items().jobIdOfRequest(remixOf).orElse(remixOf);
        }
        return new VideoRequest(item.prompt(), item.model(), item.seconds(), frame(item),
                item.audio() == null || item.audio(), image(item.inputReference()), remixOf);
    }

    /** The frame the catalogue settled at ingest; rows older than that have their size alone. */
    static Frame frame(Item item) {
        Frame bySize = Frame.ofSize(item.size()).orElseThrow();
        return item.aspectRatio() == null ? bySize
                : new Frame(bySize.width(), bySize.height(), item.aspectRatio(), item.resolution());
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

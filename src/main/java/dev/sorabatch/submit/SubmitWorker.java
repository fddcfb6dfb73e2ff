package dev.sorabatch.submit;

import java.io.IOException;
import java.sql.SQLException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sorabatch.catalog.Frame;
import dev.sorabatch.poll.PollPacer;
import dev.sorabatch.provider.ProviderError;
import dev.sorabatch.provider.ProviderException;
import dev.sorabatch.provider.ReferenceImage;
import dev.sorabatch.provider.RetryPolicy;
import dev.sorabatch.provider.VideoJob;
import dev.sorabatch.provider.VideoProvider;
import dev.sorabatch.provider.VideoRequest;
import dev.sorabatch.reference.InputReferences;
import dev.sorabatch.run.RunControl;
import dev.sorabatch.store.Item;
import dev.sorabatch.store.ItemState;
import dev.sorabatch.store.JobStore;

/**
 * Sends creates for pending items, within the rate limit and the in-flight limit. Each item is SUBMITTING
 * (committed) before its create and SUBMITTED with the job id right after; when the outcome of a create is unknown
 * the item stays SUBMITTING and goes to {@link Reconciler}, never straight to a second create.
 * <p>
 * The provider may allow fewer jobs at once than {@code maxInFlight}. When it refuses a create for that reason
 * (a 429 about concurrent jobs), the worker takes the limit it names, or else the number in flight at that moment,
 * as its ceiling, so freed slots are no longer met by bursts of creates that only earn 429s. The ceiling is probed
 * one higher after a quiet spell (a minute when it was inferred, ten when the provider named it), up to
 * {@code maxInFlight}, in case the limit was raised.
 */
public class SubmitWorker {

    private static final Logger LOG = LoggerFactory.getLogger(SubmitWorker.class);
    private static final Pattern CONCURRENCY = Pattern.compile("(?i)concurren|in[- ]flight|simultaneous|parallel");
    private static final Pattern LIMIT = Pattern.compile("(?i)limit:?\\s*(\\d+)");
    private static final long PROBE_INFERRED_MILLIS = 60_000;
    private static final long PROBE_NAMED_MILLIS = 600_000;

    private final JobStore store;
    private final VideoProvider provider;
    private final CreateRateLimiter limiter;
    private final RetryPolicy retry;
    private final PollPacer pacer;
    private final RunControl run;
    private final int maxInFlight;
    private final int batchSize;
    private final long leaseMillis;
    private final long reconcileAfterMillis;
    private final String owner;
    private final InputReferences references;
    private volatile int ceiling;
    private volatile long ceilingSetAt;
    private volatile long probeAfterMillis = PROBE_INFERRED_MILLIS;

    public SubmitWorker(JobStore store, VideoProvider provider, CreateRateLimiter limiter, RetryPolicy retry,
                        PollPacer pacer, RunControl run, int maxInFlight, int batchSize, long leaseMillis,
                        long reconcileAfterMillis, String owner, InputReferences references) {
        this.references = references;
        this.store = store;
        this.provider = provider;
        this.limiter = limiter;
        this.retry = retry;
        this.pacer = pacer;
        this.run = run;
        this.maxInFlight = maxInFlight;
        this.batchSize = batchSize;
        this.leaseMillis = leaseMillis;
        this.reconcileAfterMillis = reconcileAfterMillis;
        this.owner = owner;
        this.ceiling = maxInFlight;
    }

    /** Claims as many pending items as free slots and rate permits allow right now. */
    public List<Item> claim() throws SQLException {
        if (run.halted()) {
            return List.of();
        }
        int wanted = Math.min(batchSize, Math.min(ceiling() - store.countInFlight(), limiter.available()));
        if (wanted <= 0) {
            return List.of();
        }
        List<Item> items = store.claimForSubmit(wanted, leaseMillis, owner);
        int granted = limiter.acquire(items.size());
        for (Item unsent : items.subList(granted, items.size())) {
            store.releaseUnsent(unsent.id(), store.now(), null, null);
        }
        return items.subList(0, granted);
    }

    public void submit(Item item) throws SQLException {
        long now = store.now();
        try {
            VideoJob job = provider.submit(request(item), item.itemKey());
            if (!store.markSubmitted(item.id(), job.id(), pacer.firstCheck(item, job))) {
                // the job id is already held (reconciliation adopted it): let reconciliation settle this item
                store.reschedule(item.id(), ItemState.SUBMITTING, now, "submit_conflict",
                        "job " + job.id() + " was already recorded for another item");
            }
        } catch (ProviderException e) {
            onFailure(item, e, now);
        }
    }

    private void onFailure(Item item, ProviderException e, long now) throws SQLException {
        String code = e.code();
        switch (e.kind()) {
            case RETRYABLE -> {
                long delay = retry.delayMillis(item.failures() + 1, e.retryAfter());
                boolean rateLimited = e.httpStatus() == 429;
                if (rateLimited) {
                    limiter.pauseUntil(now + delay); // no create at all before the provider's Retry-After
                    if (e.error() != null && e.error().message() != null
                            && CONCURRENCY.matcher(e.error().message()).find()) {
                        lowerCeiling(e.error().message());
                    }
                }
                if (!rateLimited && retry.exhausted(item.attempts())) {
                    store.finish(item.id(), ItemState.SUBMITTING, ItemState.FAILED, code,
                            "gave up after " + item.attempts() + " attempts: " + e.getMessage());
                } else {
                    store.backToPending(item.id(), now + delay, code, e.getMessage());
                }
            }
            case OUTCOME_UNKNOWN -> {
                LOG.info("Create for {} has an unknown outcome ({}); reconciling before any new create",
                        item.itemKey(), e.getMessage());
                store.reschedule(item.id(), ItemState.SUBMITTING, now + reconcileAfterMillis, code, e.getMessage());
            }
            case REJECTED, NOT_FOUND, QUOTA_EXHAUSTED -> store.finish(item.id(), ItemState.SUBMITTING, ItemState.FAILED, code,
                    e.error() == null ? e.getMessage() : e.error().message());
            case AUTH -> {
                store.releaseUnsent(item.id(), now, code, e.getMessage());
                run.credentialsRefused(e);
            }
        }
    }

    /** Jobs the provider accepts at once, as far as its answers tell; at most {@code maxInFlight}. */
    int ceiling() {
        int c = ceiling;
        if (c < maxInFlight && store.now() - ceilingSetAt >= probeAfterMillis) {
            synchronized (this) {
                if (ceiling == c) {
                    ceiling = c + 1;
                    ceilingSetAt = store.now();
                }
            }
        }
        return ceiling;
    }

    private void lowerCeiling(String message) throws SQLException {
        Matcher m = LIMIT.matcher(message);
        boolean named = m.find();
        // this item is still counted (SUBMITTING) although the provider did not take it
        int limit = named ? Integer.parseInt(m.group(1)) : store.countInFlight() - 1;
        limit = Math.max(1, Math.min(maxInFlight, limit));
        synchronized (this) {
            if (limit < ceiling) {
                LOG.info("The provider allows {} jobs at once; keeping to that (sora.max-in-flight is {})", limit,
                        maxInFlight);
            }
            ceiling = Math.min(ceiling, limit);
            ceilingSetAt = store.now();
            probeAfterMillis = named ? PROBE_NAMED_MILLIS : PROBE_INFERRED_MILLIS;
        }
    }

    /** {@code remix_of} may name an item of an earlier batch: send its provider job id. */
    private VideoRequest request(Item item) throws SQLException, ProviderException {
        String remixOf = item.remixOf();
        if (remixOf != null) {
            remixOf = store.jobIdOfRequest(remixOf).orElse(remixOf);
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

package dev.sorabatch.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sorabatch.output.BucketOutputStore;
import dev.sorabatch.output.Hashing;
import dev.sorabatch.output.OutputStore;
import dev.sorabatch.output.StoredObject;
import dev.sorabatch.provider.BucketOutput;
import dev.sorabatch.provider.Capability;
import dev.sorabatch.provider.JobRef;
import dev.sorabatch.provider.ProviderException;
import dev.sorabatch.provider.ProviderRegistry;
import dev.sorabatch.provider.Variant;
import dev.sorabatch.provider.VideoProvider;
import dev.sorabatch.qa.Mp4Probe;
import dev.sorabatch.qa.ProbingInputStream;
import dev.sorabatch.store.ClipReport;
import dev.sorabatch.store.Item;
import dev.sorabatch.store.ItemState;
import dev.sorabatch.store.JobStore;
import dev.sorabatch.store.Move;
import dev.sorabatch.worker.Backoff;
import dev.sorabatch.worker.Failures;
import dev.sorabatch.worker.WorkContext;
import dev.sorabatch.worker.Worker;

/**
 * Fetches finished jobs as soon as they complete (content links expire about an hour later) and streams the
 * video and its thumbnail to the output: {@code videos/<key>.mp4}, {@code thumbnails/<key>.<webp|jpg>}. A video
 * the provider wrote into the output's own S3 store is copied there server-side instead ({@link BucketOutput}).
 * <p>
 * Downloads and output writes are free and idempotent, so they are retried on the short backoff of free calls,
 * never later than the content's expiry. A failed write is logged at WARN with its cause, and an item that ends
 * without its video keeps the last failure in its error, so "expired" never hides a full disk.
 */
public class FetchWorker implements Worker<Item> {

    private static final Logger LOG = LoggerFactory.getLogger(FetchWorker.class);
    /** The last retry of a download is made this long before the content's expiry. */
    private static final long LAST_CHANCE_MILLIS = 1000;

    private final WorkContext work;
    private final JobStore store;
    private final ProviderRegistry providers;
    private final OutputStore output;
    private final FetchSettings settings;
    private final Backoff backoff;
    private final ClipQa qa;
    private final Posters posters;
    private final Map<Long, String> batchNames = new ConcurrentHashMap<>();

    /** A single provider. */
    public FetchWorker(WorkContext work, VideoProvider provider, OutputStore output, FetchSettings settings,
                       Backoff backoff, ClipQa qa) {
        this(work, ProviderRegistry.single(provider, null), output, settings, backoff, qa,
                new Posters(new PosterFrame(), Path.of(System.getProperty("java.io.tmpdir"))));
    }

    /**
     * @param backoff of free calls
     * @param qa      checks each video as it streams to the output
     * @param posters makes the poster of a video whose provider serves no thumbnail
     */
    public FetchWorker(WorkContext work, ProviderRegistry providers, OutputStore output, FetchSettings settings,
                       Backoff backoff, ClipQa qa, Posters posters) {
        this.work = work;
        this.store = work.store();
        this.providers = providers;
        this.posters = posters;
        this.output = output;
        this.settings = settings;
        this.backoff = backoff;
        this.qa = qa;
    }

    @Override
    public List<Item> claim() throws SQLException {
        return work.claimDue(ItemState.COMPLETED);
    }

    @Override
    public void work(Item item) throws SQLException {
        if (expired(item)) {
            store.items().finish(item.id(), Move.CONTENT_EXPIRED, "content_expired",
                    withLastFailure(item, "the provider's content expired before it could be stored"));
            return;
        }
        String batch = batchNames.computeIfAbsent(item.batchId(), this::batchName);
        VideoProvider provider = providers.adapter(item.provider());
        JobRef job = new JobRef(item.providerJobId(), item.providerJobHandle());
        boolean poster = settings.thumbnails() && !provider.capabilities().contains(Capability.THUMBNAIL);
        try {
            Posters.Copy copy = poster ? posters.copy(item.itemKey()) : null;
            ClipReport[] report = new ClipReport[1];
            StoredObject video;
            String thumbnail;
            try {
                video = storeVideo(provider, job, batch, item, copy, report);
                thumbnail = copy != null ? posters.store(copy, output, batch, item.itemKey())
                        : settings.thumbnails() ? fetchThumbnail(provider, job, batch, item) : null;
            } finally {
                if (copy != null) {
                    copy.close();
                }
            }
            store.items().recordQa(item.id(), report[0]);
            if (report[0].flagged()) {
                LOG.info("Output QA flagged {}/{} (kept): {}", batch, item.itemKey(), report[0].flagsJson());
            }
            store.items().stored(item.id(), video.path(), thumbnail, video.bytes(), video.sha256());
            release(provider, job, batch, item);
        } catch (ProviderException e) {
            long next = nextTry(item, e.retryAfter());
            Failures.Gone gone = new Failures.Gone(Move.CONTENT_EXPIRED, e.code(),
                    withLastFailure(item, e.error() == null ? "the content is gone" : e.error().message()));
            if (work.failures().freeCall(item, ItemState.COMPLETED, e, gone, next)) {
                LOG.info("Download of {}/{} failed ({}); trying again in {} ms", batch, item.itemKey(),
                        e.getMessage(), next - work.now());
            }
        } catch (IOException e) {
            String cause = OutputStore.describe(e);
            long next = nextTry(item, null);
            LOG.warn("Could not store {}/{} (failure {}): {}; trying again in {} ms", batch, item.itemKey(),
                    item.failures() + 1, cause, next - work.now());
            store.items().reschedule(item.id(), ItemState.COMPLETED, next, "output_failed", cause);
        }
    }

    /**
     * The video in the batch layout. Where the provider wrote it into a bucket of the output's own S3 store it is
     * copied there server-side, then read back once for what a streamed video gets on its way (size, SHA-256, QA,
     * the poster); otherwise it streams from the provider to the output.
     */
    private StoredObject storeVideo(VideoProvider provider, JobRef job, String batch, Item item, Posters.Copy copy,
                                    ClipReport[] report) throws ProviderException, IOException {
        String path = "videos/" + item.itemKey() + ".mp4";
        if (provider instanceof BucketOutput written && output instanceof BucketOutputStore bucket
                && written.copyTo(job, bucket.bucket(), bucket.objectKey(batch, path))) {
            try (InputStream in = bucket.open(batch, path)) {
                return inspected(in, copy, item, report, body -> {
                    DigestInputStream digest = new DigestInputStream(body, Hashing.sha256());
                    long bytes = digest.transferTo(OutputStream.nullOutputStream());
                    return new StoredObject(path, bytes, Hashing.hex(digest.getMessageDigest()));
                });
            }
        }
        return provider.download(job, Variant.VIDEO, content -> inspected(content.body(), copy, item, report,
                body -> output.write(batch, path, body, content.length(), Variant.VIDEO.contentType())));
    }

    /** Where a video's bytes go once probed. */
    @FunctionalInterface
    private interface VideoSink {
        StoredObject take(InputStream body) throws IOException;
    }

    /** Probed as it passes: the video is never held whole, nor read twice. */
    private StoredObject inspected(InputStream video, Posters.Copy copy, Item item, ClipReport[] report,
                                   VideoSink sink) throws IOException {
        try (ProbingInputStream body = Mp4Probe.tee(copy == null ? video : copy.tee(video))) {
            StoredObject stored = sink.take(body);
            report[0] = qa.report(item, body.facts());
            return stored;
        }
    }

    /**
     * Hands back what the provider wrote into the user's bucket (deleted only where the adapter's
     * delete-after-fetch setting says so). The video is stored by now: a failure here costs it nothing.
     */
    private static void release(VideoProvider provider, JobRef job, String batch, Item item) {
        if (provider instanceof BucketOutput written) {
            try {
                written.release(job);
            } catch (ProviderException e) {
                LOG.warn("Stored {}/{}, but {}'s own copy of it could not be removed: {}", batch, item.itemKey(),
                        provider.name(), e.getMessage());
            }
        }
    }

    /** A missing thumbnail does not cost the video. */
    private String fetchThumbnail(VideoProvider provider, JobRef job, String batch, Item item)
            throws ProviderException, IOException {
        try {
            return provider.download(job, Variant.THUMBNAIL, content -> output.write(batch,
                    "thumbnails/" + item.itemKey() + "." + imageExtension(content.contentType()), content.body(),
                    content.length(), content.contentType())).path();
        } catch (ProviderException e) {
            if (e.kind() == ProviderException.Kind.NOT_FOUND) {
                LOG.warn("No thumbnail for {}: {}", item.itemKey(), e.getMessage());
                return null;
            }
            throw e;
        }
    }

    /**
     * The next try on the free backoff, but never past the content's expiry: a backoff that would reach beyond it
     * is cut to one last try just before it, and after that the item is due when the content expires (and ends).
     */
    private long nextTry(Item item, Duration retryAfter) {
        long now = work.now();
        long next = now + backoff.delayMillis(item.failures() + 1, retryAfter);
        if (item.expiresAt() == null) {
            return next;
        }
        long lastChance = item.expiresAt() - LAST_CHANCE_MILLIS;
        return next <= lastChance ? next : lastChance > now ? lastChance : item.expiresAt();
    }

    /** The reason an item ends without its video, with what went wrong before, if anything did. */
    static String withLastFailure(Item item, String reason) {
        return item.errorMessage() == null ? reason : reason + "; last failure: " + item.errorMessage();
    }

    private boolean expired(Item item) {
        return item.expiresAt() != null && work.now() >= item.expiresAt();
    }

    private String batchName(long batchId) {
        try {
            return store.batches().get(batchId).name();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static String imageExtension(String contentType) {
        String type = contentType == null ? "" : contentType.toLowerCase();
        if (type.contains("jpeg") || type.contains("jpg")) {
            return "jpg";
        }
        return type.contains("png") ? "png" : "webp";
    }
}

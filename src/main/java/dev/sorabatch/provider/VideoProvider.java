package dev.sorabatch.provider;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * What the pipeline needs from a video generation service (SPI v2). One call per method, no retries inside:
 * retry, pacing and reconciliation are decided by the workers from the job store and the adapter's
 * {@linkplain #capabilities() capabilities}.
 */
public interface VideoProvider {

    /** The name in {@code sora.provider} and the catalogue ({@code openai}, {@code runway}, …); recorded per item. */
    String name();

    /** What this adapter can do beyond create, status and download. */
    Set<Capability> capabilities();

    default boolean can(Capability capability) {
        return capabilities().contains(capability);
    }

    /**
     * Creates a job (a remix when {@link VideoRequest#remixOf()} is set). Billable. {@code idempotencyKey} is stable
     * for one attempt of one item; it is sent where the provider deduplicates on it
     * ({@link Capability#IDEMPOTENT_CREATE}). A request that cannot be built (an image too large for the wire, say)
     * fails with {@link ProviderException.Kind#REJECTED}, never with an unchecked exception: nothing was sent, and
     * the caller must know that.
     */
    VideoJob submit(VideoRequest request, String idempotencyKey) throws ProviderException;

    VideoJob status(JobRef job) throws ProviderException;

    /**
     * Streams the asset to {@code handler} while the connection is open, from the provider or from the signed URL it
     * hands out; never buffers the whole body. Whatever the handler throws is rethrown as is. Content that is gone
     * (expired) is {@link ProviderException.Kind#NOT_FOUND}.
     */
    <T> T download(JobRef job, Variant variant, ContentHandler<T> handler) throws ProviderException, IOException;

    /** Consumes a download while it streams. */
    @FunctionalInterface
    interface ContentHandler<T> {
        T handle(ContentStream content) throws IOException;
    }

    /**
     * Jobs created at or after {@code since}, newest first; used to find a job whose create answer was lost. The list
     * is complete for that window when the call returns normally. Only with {@link Capability#LIST}.
     */
    default List<VideoJob> list(Instant since) throws ProviderException {
        throw new UnsupportedOperationException(name() + " cannot list its jobs");
    }

    /** Asks the provider to stop a queued or running job; best effort. Does nothing without {@link Capability#CANCEL}. */
    default void cancel(JobRef job) throws ProviderException {
    }

    /** Checks that the provider accepts the configured credentials; throws {@link ProviderException.Kind#AUTH} if not. */
    void verifyAccess() throws ProviderException;
}

package dev.sorabatch.provider;

import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * What the pipeline needs from a video generation service. One call per method, no retries inside:
 * retry, pacing and reconciliation are decided by the workers from the job store.
 */
public interface VideoProvider {

    /** Short name recorded in batches and manifests, e.g. {@code openai}. */
    String name();

    /**
     * Creates a job (a remix when {@link VideoRequest#remixOf()} is set). Billable. A request that cannot be built
     * (its input_reference unusable, say) fails with {@link ProviderException.Kind#REJECTED}, never with an
     * unchecked exception: nothing was sent, and the caller must know that.
     */
    VideoJob submit(VideoRequest request) throws ProviderException;

    VideoJob status(String jobId) throws ProviderException;

    /**
     * Streams the asset to {@code handler} while the connection is open; never buffers the whole body.
     * Whatever the handler throws is rethrown as is.
     */
    <T> T download(String jobId, Variant variant, ContentHandler<T> handler) throws ProviderException, IOException;

    /** Consumes a download while it streams. */
    @FunctionalInterface
    interface ContentHandler<T> {
        T handle(ContentStream content) throws IOException;
    }

    /**
     * Jobs created at or after {@code since}, newest first; used to find a job whose create response was lost.
     * The list is complete for that window when the call returns normally.
     */
    List<VideoJob> listSince(Instant since) throws ProviderException;

    /** Checks that the provider accepts the configured credentials; throws {@link ProviderException.Kind#AUTH} if not. */
    void verifyAccess() throws ProviderException;
}

package dev.sorabatch.provider;

/**
 * An adapter whose provider writes each video into the user's bucket ({@link Capability#WRITES_TO_BUCKET}: Bedrock
 * into S3, Vertex AI into Cloud Storage). {@link VideoProvider#download} streams that object; the fetch step may
 * instead copy it server-side into the output bucket, and hands the provider's objects back once the video is
 * stored.
 */
public interface BucketOutput {

    /** Where the provider wrote a finished job's video: {@code s3://bucket/key} or {@code gs://bucket/object}. */
    String outputUri(JobRef job) throws ProviderException;

    /**
     * Copies a finished job's video to {@code bucket}/{@code key} of the pipeline's own S3 store without passing it
     * through this process, where the provider's bucket is reachable from there; false (nothing done) when it is
     * not, and the video must be streamed with {@link VideoProvider#download}.
     */
    default boolean copyTo(JobRef job, String bucket, String key) throws ProviderException {
        return false;
    }

    /**
     * Called once the video is stored in the batch layout: deletes what the provider wrote for this job when the
     * adapter's {@code delete-after-fetch} setting says so, else leaves it.
     */
    void release(JobRef job) throws ProviderException;
}

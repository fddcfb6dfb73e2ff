package dev.sorabatch.provider;

import java.time.Instant;

/**
 * A provider's view of one job. The request fields ({@code model}, {@code prompt}, {@code seconds}, {@code size})
 * are what the provider reports, where it does: a listing is matched on them.
 *
 * @param handle          adapter data needed to reach the job again (see {@link JobRef}), or null
 * @param progress        0–100, or -1 when the provider does not say
 * @param expiresAt       when the output can no longer be downloaded, where known
 * @param pollAfterMillis the provider's hint for the next status check ({@code openai-poll-after-ms}), or null
 */
public record VideoJob(String id, String handle, JobStatus status, int progress, String model, String prompt,
                       int seconds, String size, Instant createdAt, Instant completedAt, Instant expiresAt,
                       ProviderError error, Long pollAfterMillis) {

    /** A job that its id alone reaches. */
    public VideoJob(String id, JobStatus status, int progress, String model, String prompt, int seconds, String size,
                    Instant createdAt, Instant completedAt, Instant expiresAt, ProviderError error, Long pollAfterMillis) {
        this(id, null, status, progress, model, prompt, seconds, size, createdAt, completedAt, expiresAt, error,
                pollAfterMillis);
    }

    /** How to reach this job again. */
    public JobRef ref() {
        return new JobRef(id, handle);
    }
}

package dev.sorabatch.provider;

import java.time.Instant;

/**
 * A provider's view of one job (the OpenAI "video" object).
 *
 * @param pollAfterMillis the provider's hint for the next status check ({@code openai-poll-after-ms}), or null
 */
public record VideoJob(String id, JobStatus status, int progress, String model, String prompt, int seconds, String size,
                       Instant createdAt, Instant completedAt, Instant expiresAt, ProviderError error, Long pollAfterMillis) {
}

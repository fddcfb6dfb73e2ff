package dev.sorabatch.store;

/**
 * One row of the item table: one take of one request. Times are epoch milliseconds, null when not reached.
 * {@code attempt} is 1, one more for every time an operator queued the item again.
 */
public record Item(long id, long batchId, String itemKey, String requestId, int row, int take, ItemState state,
                   String prompt, String model, Integer seconds, String size, String remixOf, String inputReference,
                   String metadataJson, String providerJobId, int progress, int attempts, int statusChecks,
                   int failures, int reconcileTries, long nextAttemptAt, String errorCode, String errorMessage, long createdAt,
                   Long submittingAt, Long submittedAt, Long completedAt, Long expiresAt, Long storedAt,
                   String videoPath, String thumbnailPath, Long bytes, String sha256, int attempt,
                   String provider,
                   String providerJobHandle, String createKey, Boolean audio, String aspectRatio, String resolution) {

    /** The key a provider that deduplicates creates is given: random per item, the item key on rows older than it. */
    public String idempotencyKey() {
        return createKey != null ? createKey : itemKey;
    }

    /** Short, for logs: a prompt or a data: URL image would fill them. */
    @Override
    public String toString() {
        return "Item[" + id + " " + itemKey + " " + state + "]";
    }
}

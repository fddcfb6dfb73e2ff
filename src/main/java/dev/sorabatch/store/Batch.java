package dev.sorabatch.store;

/** One row of the batch table: one input file. {@code name} is the user-facing batch id (output folder). */
public record Batch(long id, String name, String source, String sourceSha256, String provider, BatchState state,
                    int totalItems, long createdAt, Long finishedAt, int finalizeFailures, String finalizeError) {

    public boolean ingesting() {
        return state == BatchState.INGESTING;
    }

    public boolean finalizeFailed() {
        return state == BatchState.FINALIZE_FAILED;
    }
}

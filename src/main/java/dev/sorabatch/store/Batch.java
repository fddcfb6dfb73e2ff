package dev.sorabatch.store;

/**
 * One row of the batch table: one input file. {@code name} is the user-facing batch id (output folder). States:
 * INGESTING (its file is being read; no worker takes its items), OPEN, FINALIZING, FINALIZED, FINALIZE_FAILED (its
 * manifest could not be written; the reason is {@code finalizeError}).
 */
public record Batch(long id, String name, String source, String sourceSha256, String provider, String state,
                    int totalItems, long createdAt, Long finishedAt, int finalizeFailures, String finalizeError) {

    public static final String INGESTING = "INGESTING";
    public static final String FINALIZE_FAILED = "FINALIZE_FAILED";

    public boolean ingesting() {
        return INGESTING.equals(state);
    }

    public boolean finalizeFailed() {
        return FINALIZE_FAILED.equals(state);
    }
}

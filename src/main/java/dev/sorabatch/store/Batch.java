package dev.sorabatch.store;

/**
 * One row of the batch table: one input file. {@code name} is the user-facing batch id (output folder). States:
 * INGESTING (its file is being read; no worker takes its items), OPEN, FINALIZING, FINALIZED.
 */
public record Batch(long id, String name, String source, String sourceSha256, String provider, String state,
                    int totalItems, long createdAt, Long finishedAt) {

    public static final String INGESTING = "INGESTING";

    public boolean ingesting() {
        return INGESTING.equals(state);
    }
}

package dev.sorabatch.ingest;

/**
 * One item (one take of one request row) ready to be written to the job store.
 * A rejected row yields exactly one draft with {@code rejection != null} and take 1.
 *
 * @param row          1-based position of the request in the file
 * @param requestId    caller's id as given (or the row number), used in the manifest
 * @param itemKey      sanitised file stem, unique in the batch: {@code <id>} or {@code <id>-take<N>}
 * @param take         1-based take number
 * @param prompt       composed prompt (prompt + style + camera + audio), as it will be sent
 * @param metadataJson unknown request fields as a JSON object, "{}" when none
 * @param rejection    human-readable reason when the row broke a rule, else null
 */
public record ItemDraft(int row, String requestId, String itemKey, int take, String prompt, String model,
                        int seconds, String size, String remixOf, String inputReference, String metadataJson,
                        String rejection) {

    public boolean rejected() {
        return rejection != null;
    }
}

package dev.sorabatch.store;

import java.util.Locale;

/**
 * One item (one take of one request row) as ingest writes it to the job store (PENDING, or REJECTED with the reason). Every text fits its store column.
 * A rejected row yields exactly one draft with {@code rejection != null} and take 1.
 *
 * @param row          1-based position of the request in the file
 * @param requestId    caller's id as given (or the row number), used in the manifest
 * @param itemKey      sanitised file stem, unique in the batch ignoring case: {@code <id>} or {@code <id>-take<N>}
 * @param claimedId    the sanitised id this draft holds for its row (so no other row of the batch may use it), on the
 *                     first take only; null when the row could not claim its id
 * @param take         1-based take number
 * @param prompt       composed prompt (prompt + style + camera + audio), as it will be sent
 * @param metadataJson unknown request fields as a JSON object, "{}" when none
 * @param rejection    human-readable reason when the row broke a rule, else null
 * @param provider     the provider the item goes to (as in {@code sora.provider} without {@code simulator-}), or
 *                     null for the batch's default provider
 * @param audio        whether sound was asked for, as the catalogue settled it; null when unknown (a rejected row)
 * @param aspectRatio  the frame's aspect ratio as the catalogue settled it, or null
 * @param resolution   the frame's resolution as the catalogue settled it, or null
 */
public record NewItem(int row, String requestId, String itemKey, String claimedId, int take, String prompt,
                        String model, int seconds, String size, String remixOf, String inputReference,
                        String metadataJson, String rejection, String provider, Boolean audio, String aspectRatio,
                        String resolution) {

    /** An item for the batch's default provider, its frame and sound not recorded. */
    public NewItem(int row, String requestId, String itemKey, String claimedId, int take, String prompt, String model,
                   int seconds, String size, String remixOf, String inputReference, String metadataJson,
                   String rejection) {
        this(row, requestId, itemKey, claimedId, take, prompt, model, seconds, size, remixOf, inputReference,
                metadataJson, rejection, null, null, null, null);
    }

    public boolean rejected() {
        return rejection != null;
    }

    /** The item key as the store's unique index compares it. */
    public String foldedKey() {
        return fold(itemKey);
    }

    /** The claimed id as the store's unique index compares it, or null. */
    public String foldedId() {
        return claimedId == null ? null : fold(claimedId);
    }

    /** Characters of the draft's largest texts: what a batch of drafts weighs in memory. */
    public long weight() {
        return length(prompt) + length(inputReference) + length(metadataJson);
    }

    /** Keys and ids compare ignoring case, as file names do on case-insensitive file systems. */
    public static String fold(String key) {
        return key.toLowerCase(Locale.ROOT);
    }

    private static int length(String s) {
        return s == null ? 0 : s.length();
    }
}

package dev.sorabatch.provider;

import java.util.Objects;

/**
 * A provider job as the pipeline keeps it: the provider's id and, where the adapter needs more to reach the job
 * again, an opaque handle it returned at submit (fal's status, response and cancel URLs, say). Stored with the item.
 *
 * @param handle adapter data, or null when the id alone reaches the job
 */
public record JobRef(String id, String handle) {

    public JobRef {
        Objects.requireNonNull(id, "id");
    }

    /** A job that its id alone reaches. */
    public static JobRef of(String id) {
        return new JobRef(id, null);
    }
}

package dev.sorabatch.provider;

import java.util.Locale;

/**
 * What an adapter can do beyond create, status and download; the workers decide from these (DESIGN §1). An adapter
 * declares only what it implements against its vendor's documented API.
 */
public enum Capability {
    /** The create carries a client token the provider deduplicates on: an ambiguous create may be sent again. */
    IDEMPOTENT_CREATE,
    /** Jobs can be listed by creation time with their prompt: an ambiguous create is settled by listing. */
    LIST,
    /** A poster image can be downloaded ({@link Variant#THUMBNAIL}). */
    THUMBNAIL,
    /** A first-frame image can be sent with a create. */
    IMAGE_INPUT,
    /** An earlier job can be remixed. */
    REMIX,
    /** A sound track can be asked for. */
    AUDIO,
    /** The provider can call back on completion. */
    WEBHOOKS,
    /** The provider writes the video into the user's bucket. */
    WRITES_TO_BUCKET,
    /** A queued or running job can be cancelled. */
    CANCEL;

    /** The name used in settings and docs: {@code idempotent-create}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}

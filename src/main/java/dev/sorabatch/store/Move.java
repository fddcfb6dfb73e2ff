package dev.sorabatch.store;

/**
 * Every item transition the workers (and an operator) make, by name. {@link ItemTransitions} takes only these, checks each against
 * {@link ItemState#NEXT} when it runs, and a test checks them all against the table; so no worker can make a move
 * the state machine does not have.
 */
public enum Move {
    /** A create slot was taken; the create is sent after this is committed. */
    CLAIM_FOR_CREATE(ItemState.PENDING, ItemState.SUBMITTING),
    /** The provider accepted the create, or reconciliation found the job a lost answer made. */
    ACCEPTED(ItemState.SUBMITTING, ItemState.SUBMITTED),
    /** The create certainly did not happen (or was never sent): the item waits for a slot again. */
    NOT_CREATED(ItemState.SUBMITTING, ItemState.PENDING),
    /** The provider refused the create for good, or it was tried too often. */
    CREATE_FAILED(ItemState.SUBMITTING, ItemState.FAILED),
    /** The create may have happened and could not be matched to a job. */
    CREATE_UNCERTAIN(ItemState.SUBMITTING, ItemState.UNCERTAIN),
    /** The job is done; its content waits to be fetched. */
    JOB_COMPLETED(ItemState.SUBMITTED, ItemState.COMPLETED),
    /** The provider failed the job, or no longer knows it. */
    JOB_FAILED(ItemState.SUBMITTED, ItemState.FAILED),
    /** The video is in the output. */
    CONTENT_STORED(ItemState.COMPLETED, ItemState.STORED),
    /** The content was gone before it could be stored. */
    CONTENT_EXPIRED(ItemState.COMPLETED, ItemState.EXPIRED),

    // ---- made by an operator (BatchActions), never by a worker
    /** Taken back before it was sent. */
    CANCEL(ItemState.PENDING, ItemState.CANCELLED),
    /** Queued again as a new attempt. */
    RETRY_FAILED(ItemState.FAILED, ItemState.PENDING),
    RETRY_EXPIRED(ItemState.EXPIRED, ItemState.PENDING),
    /** The only way an UNCERTAIN item is ever sent again. */
    RETRY_UNCERTAIN(ItemState.UNCERTAIN, ItemState.PENDING),

    // ---- dry runs and budgets
    /** Dry run: the item is priced and left unsent. */
    PLANNED(ItemState.PENDING, ItemState.PLANNED),
    /** Its create would pass a budget: it is never sent. */
    OVER_BUDGET(ItemState.SUBMITTING, ItemState.SKIPPED_BUDGET);

    private final ItemState from;
    private final ItemState to;

    Move(ItemState from, ItemState to) {
        this.from = from;
        this.to = to;
    }

    public ItemState from() {
        return from;
    }

    public ItemState to() {
        return to;
    }
}

package dev.sorabatch.store;

import java.util.EnumSet;
import java.util.Set;

/** The item state machine of the design: every row is in exactly one of these. */
public enum ItemState {
    /** Failed validation; never sent. */
    REJECTED,
    /** Waiting for a create slot. */
    PENDING,
    /** Committed before the create call: a crash here means the outcome is unknown. */
    SUBMITTING,
    /** The provider accepted the job; its id is on the row. */
    SUBMITTED,
    /** The provider finished the job; content waits to be fetched. */
    COMPLETED,
    STORED,
    FAILED,
    /** The content was gone before it could be fetched. */
    EXPIRED,
    /** A create may have happened and could not be reconciled: needs a human. */
    UNCERTAIN;

    public static final Set<ItemState> TERMINAL = EnumSet.of(STORED, FAILED, REJECTED, EXPIRED, UNCERTAIN);

    public boolean terminal() {
        return TERMINAL.contains(this);
    }
}

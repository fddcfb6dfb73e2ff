package dev.sorabatch.store;

/** The life of a batch (one input file). */
public enum BatchState {
    /** Its file is being read; no worker takes its items. */
    INGESTING,
    /** Its items are being worked on. */
    OPEN,
    /** Every item ended; its manifest is being written (under a lease). */
    FINALIZING,
    /** Its manifest is written. */
    FINALIZED,
    /** Its manifest could not be written; the reason is on the batch. A later run tries again. */
    FINALIZE_FAILED
}

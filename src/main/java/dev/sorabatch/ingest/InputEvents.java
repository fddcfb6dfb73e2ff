package dev.sorabatch.ingest;

/** What the sources tell the run about the input (once mode ends when it is drained, and counts files set aside). */
public interface InputEvents {

    /** The source had nothing new on its last poll. */
    void sourceIdle();

    /** A file could not be read and was set aside with the reason. */
    void fileSetAside();
}

package dev.sorabatch.ingest;

/**
 * The input changed while it was read (a writer still appending): the read is discarded and the input is left where
 * it is, to be read again whole once it has stopped changing.
 */
public class InputChangedException extends Exception {

    public InputChangedException(String reason) {
        super(reason);
    }
}

package dev.sorabatch.ingest;

/**
 * Another instance sharing the store is reading the same input: this one leaves it where it is, like an input that
 * changed while it was read, and looks at it again later (by then committed, or given up by a holder that died).
 */
public class InputHeldException extends InputChangedException {

    public InputHeldException(String reason) {
        super(reason);
    }
}

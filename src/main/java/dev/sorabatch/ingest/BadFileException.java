package dev.sorabatch.ingest;

/** The file as a whole cannot be read as a batch; it goes to the error area with this reason. */
public class BadFileException extends Exception {

    public BadFileException(String reason) {
        super(reason);
    }

    public BadFileException(String reason, Throwable cause) {
        super(reason, cause);
    }
}

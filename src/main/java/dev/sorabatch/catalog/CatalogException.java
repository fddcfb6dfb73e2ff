package dev.sorabatch.catalog;

/** A catalogue file that cannot be used; the message names the file, the line and the field. */
public final class CatalogException extends RuntimeException {

    CatalogException(String message) {
        super(message);
    }

    CatalogException(String message, Throwable cause) {
        super(message, cause);
    }
}

package dev.sorabatch.provider;

import java.time.Duration;

/**
 * A provider call that did not succeed, classified by what the pipeline may safely do next.
 * Messages never carry credentials: they are built from a {@link ProviderError}, which is redacted.
 */
public class ProviderException extends Exception {

    public enum Kind {
        /**
         * The request certainly did not take effect (connection refused, DNS or TLS failure before it was sent, 408,
         * 409, 429, 503): it is safe to send again later, a create included.
         */
        RETRYABLE,
        /** The request may have taken effect (timeout or drop after it was sent, 500, 502, 504): a create is ambiguous. */
        OUTCOME_UNKNOWN,
        /** The provider refused this request for good (4xx other than the above): do not retry. */
        REJECTED,
        /** The job or its content does not exist (any more). */
        NOT_FOUND,
        /** The provider refused the credentials (401/403): retrying any request is pointless. */
        AUTH,
        /**
         * The account can make no more jobs for now (out of credits: 402): creates stop for the whole provider,
         * never retried item by item.
         */
        QUOTA_EXHAUSTED
    }

    private final Kind kind;
    private final int httpStatus;
    private final ProviderError error;
    private final Duration retryAfter;

    public ProviderException(Kind kind, int httpStatus, ProviderError error, Duration retryAfter, Throwable cause) {
        super(describe(httpStatus, error), cause);
        this.kind = kind;
        this.httpStatus = httpStatus;
        this.error = error;
        this.retryAfter = retryAfter;
    }

    private static String describe(int httpStatus, ProviderError error) {
        String status = httpStatus > 0 ? "HTTP " + httpStatus : "no response";
        return error == null ? status : status + " " + error.code() + ": " + error.message();
    }

    public Kind kind() {
        return kind;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public ProviderError error() {
        return error;
    }

    /** The provider's error code, or {@code http_<status>} when it sent none. */
    public String code() {
        return error == null ? "http_" + httpStatus : error.code();
    }

    /** The provider's requested delay ({@code retry-after-ms} or {@code Retry-After}), or null. */
    public Duration retryAfter() {
        return retryAfter;
    }
}

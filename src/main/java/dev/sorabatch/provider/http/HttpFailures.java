package dev.sorabatch.provider.http;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.function.Function;

import javax.net.ssl.SSLHandshakeException;

import org.apache.camel.Message;
import org.apache.hc.client5.http.ConnectTimeoutException;

import dev.sorabatch.provider.ProviderError;
import dev.sorabatch.provider.ProviderException;
import dev.sorabatch.provider.ProviderException.Kind;

/**
 * The one classification of a failed HTTP call for every HTTP adapter, by what may safely be done next: above all,
 * whether a create may be sent again ({@link Kind#RETRYABLE}: it certainly did not take effect) or is ambiguous
 * ({@link Kind#OUTCOME_UNKNOWN}: it may have made a paid job).
 */
public final class HttpFailures {

    private HttpFailures() {
    }

    /**
     * What an HTTP error status allows. 408, 409, 429 and 503 (load shedding) are answered before any work is done;
     * 500, 502 and 504 may come after the provider made the job; 402 means the account is out of credits.
     */
    public static Kind kindOf(int status) {
        return switch (status) {
            case 401, 403 -> Kind.AUTH;
            case 402 -> Kind.QUOTA_EXHAUSTED;
            case 404, 410 -> Kind.NOT_FOUND;
            case 408, 409, 429, 503 -> Kind.RETRYABLE;
            default -> status >= 500 ? Kind.OUTCOME_UNKNOWN : Kind.REJECTED;
        };
    }

    /** An HTTP error answer, classified. */
    public static ProviderException answer(int status, ProviderError error, Message response) {
        return new ProviderException(kindOf(status), status, error, retryAfter(response), null);
    }

    /**
     * No HTTP answer. Only a failure before the request left proves it never arrived: a refused connection, an
     * unknown host, no route, a connect timeout, a failed TLS handshake. Anything later (a read timeout, a dropped
     * connection) may have followed a create the provider acted on.
     */
    public static ProviderException transportFailure(Exception e) {
        Throwable root = e;
        while (root.getCause() != null && !(root instanceof IOException)) {
            root = root.getCause();
        }
        boolean neverSent = root instanceof ConnectException || root instanceof UnknownHostException
                || root instanceof NoRouteToHostException || root instanceof ConnectTimeoutException
                || root instanceof SSLHandshakeException;
        String message = root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
        return new ProviderException(neverSent ? Kind.RETRYABLE : Kind.OUTCOME_UNKNOWN, 0,
                new ProviderError(neverSent ? "not_sent" : "no_response", message), null, e);
    }

    /** {@code retry-after-ms} (OpenAI, Runway's SDK) wins over {@code Retry-After} (seconds or an HTTP date). */
    public static Duration retryAfter(Message response) {
        return retryAfter(name -> response.getHeader(name, String.class));
    }

    /** The same, from any answer's headers by name (an SDK's response). */
    public static Duration retryAfter(Function<String, String> header) {
        String ms = header.apply("retry-after-ms");
        if (ms != null) {
            try {
                return Duration.ofMillis((long) Math.ceil(Double.parseDouble(ms.trim())));
            } catch (NumberFormatException ignored) {
                // fall through to Retry-After
            }
        }
        String value = header.apply("Retry-After");
        if (value == null) {
            return null;
        }
        try {
            return Duration.ofMillis((long) Math.ceil(Double.parseDouble(value.trim()) * 1000));
        } catch (NumberFormatException e) {
            try {
                Instant at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration d = Duration.between(Instant.now(), at);
                return d.isNegative() ? Duration.ZERO : d;
            } catch (RuntimeException notADate) {
                return null;
            }
        }
    }
}

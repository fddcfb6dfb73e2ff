package dev.sorabatch.provider.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.http.HttpComponent;
import org.apache.hc.core5.http.HttpEntity;

import dev.sorabatch.provider.ProviderError;
import dev.sorabatch.provider.ProviderException;
import dev.sorabatch.provider.ProviderException.Kind;

/**
 * One HTTP call to a provider over camel-http, shared by the HTTP adapters so that each is wire translation only.
 * <p>
 * No retries here: the camel-http component runs with automatic retries disabled (HttpClient 5.5+ would otherwise
 * sleep on {@code Retry-After} inside the call) and the workers decide, from the job store, when to try again.
 * Responses are read while the exchange is open ({@code disableStreamCache}), so a video streams straight to the
 * output. A failure is classified by what may safely be done next ({@link #kindOf}); its text goes through
 * {@link ProviderError}, which redacts secrets.
 */
public final class HttpCall {

    public static final ObjectMapper JSON = new ObjectMapper();

    /** Reads a 2xx answer while it is open. */
    @FunctionalInterface
    public interface ResponseReader<T> {
        T read(Exchange response);
    }

    /** Reads a provider's error answer (its error envelope) into code and message. */
    @FunctionalInterface
    public interface ErrorReader {
        ProviderError read(int status, Message response);
    }

    private final CamelContext camel;
    private final String baseUrl;
    private final Map<String, String> headers;
    private final ErrorReader errors;
    private final ProducerTemplate template;
    private volatile Endpoint endpoint;

    /** @param headers sent with every call, e.g. the credentials */
    public HttpCall(CamelContext camel, String baseUrl, Map<String, String> headers, ErrorReader errors) {
        this.camel = camel;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.headers = Map.copyOf(headers);
        this.errors = errors;
        this.template = camel.createProducerTemplate();
    }

    public String baseUrl() {
        return baseUrl;
    }

    /**
     * Resolved on first use, once Camel Main has configured the http component from the settings; retries inside
     * the client are switched off here too, because pipeline correctness (one create per take) depends on it.
     */
    private Endpoint endpoint() {
        if (endpoint == null) {
            synchronized (this) {
                if (endpoint == null) {
                    String scheme = baseUrl.substring(0, baseUrl.indexOf(':'));
                    camel.getComponent(scheme, HttpComponent.class).setAutomaticRetriesDisabled(true);
                    endpoint = camel.getEndpoint(baseUrl + "?throwExceptionOnFailure=false&disableStreamCache=true");
                }
            }
        }
        return endpoint;
    }

    /**
     * Sends one request and reads a 2xx answer with {@code reader}; anything else is a {@link ProviderException}.
     * An {@link UncheckedIOException} the reader throws (the handler of a download) is rethrown as is.
     */
    public <T> T call(String method, String path, String query, HttpEntity body, ResponseReader<T> reader)
            throws ProviderException {
        Object[] result = new Object[1];
        Exchange exchange = template.send(endpoint(), ExchangePattern.InOut, ex -> {
            Message in = ex.getIn();
            in.setHeader(Exchange.HTTP_METHOD, method);
            in.setHeader(Exchange.HTTP_URI, baseUrl + path);
            in.setHeader(Exchange.HTTP_QUERY, query);
            headers.forEach(in::setHeader);
            in.setHeader("Accept", "application/json");
            in.setBody(body);
        }, ex -> {
            if (ex.getException() != null) {
                return; // no HTTP answer: classified below
            }
            int status = ex.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
            if (status >= 200 && status < 300) {
                result[0] = reader.read(ex);
            } else {
                ex.setException(new ProviderException(kindOf(status), status, errors.read(status, ex.getMessage()),
                        retryAfter(ex.getMessage()), null));
            }
        });
        Exception failure = exchange.getException();
        if (failure instanceof ProviderException pe) {
            throw pe;
        }
        if (failure instanceof UncheckedIOException uio) {
            throw uio;
        }
        if (failure != null) {
            throw transportFailure(failure);
        }
        @SuppressWarnings("unchecked")
        T value = (T) result[0];
        return value;
    }

    /** What an HTTP error status allows: 5xx may have taken effect, 408/409/429 certainly did not. */
    public static Kind kindOf(int status) {
        if (status == 401 || status == 403) {
            return Kind.AUTH;
        }
        if (status == 404 || status == 410) {
            return Kind.NOT_FOUND;
        }
        if (status == 408 || status == 409 || status == 429) {
            return Kind.RETRYABLE;
        }
        return status >= 500 ? Kind.OUTCOME_UNKNOWN : Kind.REJECTED;
    }

    /** No HTTP answer: only a refused connection proves the request never arrived. */
    static ProviderException transportFailure(Exception e) {
        Throwable root = e;
        while (root.getCause() != null && !(root instanceof IOException)) {
            root = root.getCause();
        }
        boolean neverSent = root instanceof ConnectException || root instanceof UnknownHostException;
        String message = root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
        return new ProviderException(neverSent ? Kind.RETRYABLE : Kind.OUTCOME_UNKNOWN, 0,
                new ProviderError(neverSent ? "connection_refused" : "no_response", message), null, e);
    }

    /** {@code retry-after-ms} (OpenAI) wins over {@code Retry-After} (seconds or an HTTP date). */
    public static Duration retryAfter(Message response) {
        String ms = response.getHeader("retry-after-ms", String.class);
        if (ms != null) {
            try {
                return Duration.ofMillis((long) Math.ceil(Double.parseDouble(ms.trim())));
            } catch (NumberFormatException ignored) {
                // fall through to Retry-After
            }
        }
        String value = response.getHeader("Retry-After", String.class);
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

    /** The answer's JSON body. */
    public static JsonNode json(Exchange response) {
        try (InputStream body = response.getMessage().getBody(InputStream.class)) {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A path segment, percent-encoded. */
    public static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}

package dev.sorabatch.provider.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.http.HttpComponent;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.StringEntity;

import dev.sorabatch.provider.ContentStream;
import dev.sorabatch.provider.ProviderError;
import dev.sorabatch.provider.ProviderException;
import dev.sorabatch.provider.ProviderException.Kind;
import dev.sorabatch.provider.Variant;
import dev.sorabatch.provider.VideoProvider.ContentHandler;

/**
 * One HTTP call to a provider over camel-http, shared by the HTTP adapters so that each is wire translation only.
 * <p>
 * No retries here: the camel-http component runs with automatic retries disabled (HttpClient 5.5+ would otherwise
 * sleep on {@code Retry-After} inside the call) and the workers decide, from the job store, when to try again.
 * Responses are read while the exchange is open ({@code disableStreamCache}), so a video streams straight to the
 * output. A failure is classified once, by {@link HttpFailures}; its text goes through {@link ProviderError}, which
 * redacts secrets. The credentials go only to the provider's own origin (and hosts the adapter names), never to
 * the storage a signed output URL points at.
 */
public final class HttpCall {

    public static final ObjectMapper JSON = new ObjectMapper();
    private static final int ERROR_TEXT_LIMIT = 300;

    /** Reads a 2xx answer while it is open. */
    @FunctionalInterface
    public interface ResponseReader<T> {
        T read(Exchange response);
    }

    /** Reads any HTTP answer, whatever its status, while it is open. */
    @FunctionalInterface
    public interface AnswerReader<T> {
        T read(int status, Exchange response) throws ProviderException;
    }

    /** Reads a provider's error answer (its error envelope) into code and message. */
    @FunctionalInterface
    public interface ErrorReader {
        ProviderError read(int status, Message response);
    }

    private final CamelContext camel;
    private final String baseUrl;
    private final URI origin;
    private final Credentials credentials;
    private final Predicate<URI> alsoTrusted;
    private final ErrorReader errors;
    private final ProducerTemplate template;
    private volatile Endpoint endpoint;

    /** @param credentials headers sent with every call to the provider's origin */
    public HttpCall(CamelContext camel, String baseUrl, Map<String, String> credentials, ErrorReader errors) {
        this(camel, baseUrl, credentials, uri -> false, errors);
    }

    /** @param alsoTrusted other hosts that get the credentials (Replicate's file host) */
    public HttpCall(CamelContext camel, String baseUrl, Map<String, String> credentials, Predicate<URI> alsoTrusted,
                    ErrorReader errors) {
        this(camel, baseUrl, constant(credentials), alsoTrusted, errors);
    }

    /** The headers that carry the credentials, taken afresh for every call (a short-lived OAuth token, say). */
    @FunctionalInterface
    public interface Credentials {
        /** A failure here means nothing was sent. */
        Map<String, String> headers() throws ProviderException;
    }

    private static Credentials constant(Map<String, String> headers) {
        Map<String, String> copy = Map.copyOf(headers);
        return () -> copy;
    }

    public HttpCall(CamelContext camel, String baseUrl, Credentials credentials, Predicate<URI> alsoTrusted,
                    ErrorReader errors) {
        this.camel = camel;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.origin = URI.create(this.baseUrl);
        this.credentials = credentials;
        this.alsoTrusted = alsoTrusted;
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
                    // the base URL's component sends every call, also to another host or scheme (HTTP_URI)
                    String scheme = baseUrl.substring(0, baseUrl.indexOf(':'));
                    camel.getComponent(scheme, HttpComponent.class).setAutomaticRetriesDisabled(true);
                    endpoint = camel.getEndpoint(baseUrl + "?throwExceptionOnFailure=false&disableStreamCache=true");
                }
            }
        }
        return endpoint;
    }

    /**
     * Sends one request to {@code path} under the base URL and reads a 2xx answer with {@code reader}; anything else
     * is a {@link ProviderException}. An {@link UncheckedIOException} the reader throws is rethrown as is.
     */
    public <T> T call(String method, String path, String query, HttpEntity body, ResponseReader<T> reader)
            throws ProviderException {
        return call(method, path, query, Map.of(), body, reader);
    }

    /** Like the above, with more headers (an idempotency key, say). */
    public <T> T call(String method, String path, String query, Map<String, String> headers, HttpEntity body,
                      ResponseReader<T> reader) throws ProviderException {
        return send(method, baseUrl + path, query, body, headers, checked(reader, errors));
    }

    /** Like {@link #call} with an absolute URL the provider handed out (a status URL, a next page). */
    public <T> T callUrl(String method, String url, HttpEntity body, ResponseReader<T> reader) throws ProviderException {
        return send(method, url, null, body, Map.of(), checked(reader, errors));
    }

    /** Sends one request to an absolute URL and reads whatever HTTP answer comes; only transport failures throw. */
    public <T> T exchange(String method, String url, Map<String, String> headers, HttpEntity body, AnswerReader<T> reader)
            throws ProviderException {
        return send(method, url, null, body, headers, reader);
    }

    /**
     * Downloads an output the provider points at: a path under the base URL, or the absolute URL of a file host.
     * From a file host, a refusal (a signed URL past its time answers 403) or a 404 means the output is gone:
     * {@link Kind#NOT_FOUND}, never the provider's credentials.
     */
    public <T> T download(String url, Variant variant, ContentHandler<T> handler) throws ProviderException, IOException {
        boolean own = trusted(URI.create(url));
        try {
            return send("GET", url, null, null, Map.of("Accept", "*/*"), (status, response) -> {
                Message m = response.getMessage();
                if (status < 200 || status >= 300) {
                    if (!own && status >= 400 && status < 500 && status != 408 && status != 429) {
                        throw new ProviderException(Kind.NOT_FOUND, status, new ProviderError("output_expired",
                                "the output is no longer served (HTTP " + status + " from " + host(url) + ")"), null, null);
                    }
                    throw HttpFailures.answer(status, own ? errors.read(status, m) : textError(status, m), m);
                }
                String type = m.getHeader("Content-Type", variant.contentType(), String.class);
                long length = m.getHeader("Content-Length", -1L, Long.class);
                try (InputStream body = m.getBody(InputStream.class)) {
                    return handler.handle(new ContentStream(body, type, length));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private <T> T send(String method, String url, String query, HttpEntity body, Map<String, String> headers,
                       AnswerReader<T> reader) throws ProviderException {
        URI uri = URI.create(url);
        Map<String, String> presented = trusted(uri) ? credentials.headers() : Map.of();
        Object[] result = new Object[1];
        Exchange exchange = template.send(endpoint(), ExchangePattern.InOut, ex -> {
            Message in = ex.getIn();
            in.setHeader(Exchange.HTTP_METHOD, method);
            // the query apart, so that a signed URL's encoded parameters are sent as they were handed out
            in.setHeader(Exchange.HTTP_URI, uri.getScheme() + "://" + uri.getRawAuthority() + uri.getRawPath());
            in.setHeader(Exchange.HTTP_QUERY, query != null ? query : uri.getRawQuery());
            presented.forEach(in::setHeader);
            in.setHeader("Accept", "application/json");
            headers.forEach(in::setHeader);
            in.setBody(body);
        }, ex -> {
            if (ex.getException() != null) {
                return; // no HTTP answer: classified below
            }
            try {
                result[0] = reader.read(ex.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class), ex);
            } catch (ProviderException e) {
                ex.setException(e);
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
            throw HttpFailures.transportFailure(failure);
        }
        @SuppressWarnings("unchecked")
        T value = (T) result[0];
        return value;
    }

    private static <T> AnswerReader<T> checked(ResponseReader<T> reader, ErrorReader errors) {
        return (status, response) -> {
            if (status >= 200 && status < 300) {
                return reader.read(response);
            }
            throw HttpFailures.answer(status, errors.read(status, response.getMessage()), response.getMessage());
        };
    }

    private boolean trusted(URI uri) {
        boolean sameOrigin = origin.getScheme().equalsIgnoreCase(uri.getScheme())
                && origin.getHost().equalsIgnoreCase(uri.getHost()) && origin.getPort() == uri.getPort();
        return sameOrigin || alsoTrusted.test(uri);
    }

    private static String host(String url) {
        return URI.create(url).getHost();
    }

    /** A file host's error answer: its text, shortened, as the message. */
    private static ProviderError textError(int status, Message response) {
        try (InputStream body = response.getBody(InputStream.class)) {
            String text = body == null ? "" : new String(body.readNBytes(ERROR_TEXT_LIMIT), StandardCharsets.UTF_8);
            return new ProviderError("http_" + status, text.isBlank() ? "HTTP " + status : text.strip());
        } catch (IOException e) {
            return new ProviderError("http_" + status, "HTTP " + status);
        }
    }

    /** The answer's JSON body. */
    public static JsonNode json(Exchange response) {
        return json(response.getMessage());
    }

    /** A message's JSON body; an empty body reads as a missing node. */
    public static JsonNode json(Message message) {
        try (InputStream body = message.getBody(InputStream.class)) {
            JsonNode node = body == null ? null : JSON.readTree(body);
            return node == null ? JSON.missingNode() : node;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JSON request body. */
    public static HttpEntity jsonBody(JsonNode body) {
        return new StringEntity(body.toString(), ContentType.APPLICATION_JSON);
    }

    /** A path segment, percent-encoded. */
    public static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}

package dev.sorabatch.provider.openai;

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
import java.util.ArrayList;
import java.util.List;
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
import org.apache.hc.client5.http.entity.mime.MultipartEntityBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.StringEntity;

import dev.sorabatch.reference.InputReferences;
import dev.sorabatch.provider.ContentStream;
import dev.sorabatch.provider.JobStatus;
import dev.sorabatch.provider.ProviderError;
import dev.sorabatch.provider.ProviderException;
import dev.sorabatch.provider.ProviderException.Kind;
import dev.sorabatch.provider.Variant;
import dev.sorabatch.provider.VideoJob;
import dev.sorabatch.provider.VideoProvider;
import dev.sorabatch.provider.VideoRequest;

/**
 * OpenAI's Videos API over camel-http; also Azure OpenAI v1 (base URL {@code https://<resource>.openai.azure.com/openai/v1},
 * {@code api-key} header, deployment name as model) and the built-in simulator.
 * <p>
 * One HTTP call per method and no retries here: the camel-http component runs with automatic retries disabled
 * (HttpClient 5.5+ would otherwise sleep on {@code Retry-After} inside the call) and the workers decide, from the
 * job store, when to try again. Responses are read while the exchange is open ({@code disableStreamCache}), so a
 * video streams straight to the output.
 */
public class OpenAiVideoProvider implements VideoProvider {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int LIST_PAGE = 100;

    private final String name;
    private final String baseUrl;
    private final String authHeader;
    private final String authValue;
    private final Map<String, String> modelMap;
    private final CamelContext camel;
    private final ProducerTemplate template;
    private final InputReferences references;
    private volatile Endpoint endpoint;

    /**
     * @param authHeader {@code Authorization} (sends {@code Bearer <key>}) or {@code api-key} (Azure)
     * @param modelMap   request model → wire model, e.g. an Azure deployment name
     * @param references reads input_reference images
     */
    public OpenAiVideoProvider(CamelContext camel, String name, String baseUrl, String authHeader, String apiKey,
                               Map<String, String> modelMap, InputReferences references) {
        this.references = references;
        this.name = name;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.authHeader = authHeader;
        this.authValue = authHeader.equalsIgnoreCase("authorization") ? "Bearer " + apiKey : apiKey;
        this.modelMap = Map.copyOf(modelMap);
        this.camel = camel;
        this.template = camel.createProducerTemplate();
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

    @Override
    public String name() {
        return name;
    }

    @Override
    public VideoJob submit(VideoRequest request) throws ProviderException {
        String path = request.remixOf() != null ? "/videos/" + encode(request.remixOf()) + "/remix" : "/videos";
        return call("POST", path, null, body(request), this::readJob);
    }

    /**
     * The create's body. Nothing has been sent yet, so any failure here is final for the request: it is refused
     * with the reason instead of escaping, which would leave its item waiting for a create that never happened.
     */
    private HttpEntity body(VideoRequest request) throws ProviderException {
        try {
            if (request.remixOf() != null) {
                return new StringEntity(JSON.createObjectNode().put("prompt", request.prompt()).toString(),
                        ContentType.APPLICATION_JSON);
            }
            MultipartEntityBuilder form = MultipartEntityBuilder.create()
                    .addTextBody("prompt", request.prompt(), ContentType.TEXT_PLAIN.withCharset(StandardCharsets.UTF_8))
                    .addTextBody("model", modelMap.getOrDefault(request.model(), request.model()))
                    .addTextBody("seconds", Integer.toString(request.seconds())) // a string on the wire; a number is a 400
                    .addTextBody("size", request.size());
            if (request.inputReference() != null) {
                addReference(form, request.inputReference());
            }
            return form.build();
        } catch (RuntimeException e) {
            throw new ProviderException(Kind.REJECTED, 0, new ProviderError("request_invalid",
                    "the request could not be built: " + e), null, e);
        }
    }

    @Override
    public VideoJob status(String jobId) throws ProviderException {
        return call("GET", "/videos/" + encode(jobId), null, null, this::readJob);
    }

    @Override
    public <T> T download(String jobId, Variant variant, ContentHandler<T> handler) throws ProviderException, IOException {
        try {
            return call("GET", "/videos/" + encode(jobId) + "/content", "variant=" + variant.wire(), null, response -> {
                Message m = response.getMessage();
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

    @Override
    public List<VideoJob> listSince(Instant since) throws ProviderException {
        List<VideoJob> jobs = new ArrayList<>();
        String after = null;
        while (true) {
            String query = "limit=" + LIST_PAGE + "&order=desc" + (after == null ? "" : "&after=" + encode(after));
            JsonNode page = call("GET", "/videos", query, null, OpenAiVideoProvider::readTree);
            JsonNode data = page.path("data");
            for (JsonNode node : data) {
                VideoJob job = toJob(node, null);
                if (job.createdAt().isBefore(since)) {
                    return jobs;
                }
                jobs.add(job);
            }
            if (!page.path("has_more").asBoolean(false) || data.isEmpty()) {
                return jobs;
            }
            after = data.get(data.size() - 1).path("id").asText();
        }
    }

    @Override
    public void verifyAccess() throws ProviderException {
        call("GET", "/videos", "limit=1", null, OpenAiVideoProvider::readTree);
    }

    // ---------------------------------------------------------------- HTTP

    @FunctionalInterface
    private interface ResponseReader<T> {
        T read(Exchange response);
    }

    private <T> T call(String method, String path, String query, HttpEntity body, ResponseReader<T> reader)
            throws ProviderException {
        Object[] result = new Object[1];
        Exchange exchange = template.send(endpoint(), ExchangePattern.InOut, ex -> {
            Message in = ex.getIn();
            in.setHeader(Exchange.HTTP_METHOD, method);
            in.setHeader(Exchange.HTTP_URI, baseUrl + path);
            in.setHeader(Exchange.HTTP_QUERY, query);
            in.setHeader(authHeader, authValue);
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
                ex.setException(failure(status, ex.getMessage()));
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

    /** Classifies an HTTP error answer by what may be done next; the body is the OpenAI error envelope. */
    private static ProviderException failure(int status, Message response) {
        ProviderError error = readError(status, response);
        Duration retryAfter = retryAfter(response);
        Kind kind;
        if (status == 401 || status == 403) {
            kind = Kind.AUTH;
        } else if (status == 404 || status == 410) {
            kind = Kind.NOT_FOUND;
        } else if (status == 408 || status == 409 || status == 429) {
            kind = Kind.RETRYABLE;
        } else if (status >= 500) {
            kind = Kind.OUTCOME_UNKNOWN; // a create may have been accepted before the failure
        } else {
            kind = Kind.REJECTED;
        }
        return new ProviderException(kind, status, error, retryAfter, null);
    }

    /** No HTTP answer: only a refused connection proves the request never arrived. */
    private static ProviderException transportFailure(Exception e) {
        Throwable root = e;
        while (root.getCause() != null && !(root instanceof IOException)) {
            root = root.getCause();
        }
        boolean neverSent = root instanceof ConnectException || root instanceof UnknownHostException;
        String message = root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
        return new ProviderException(neverSent ? Kind.RETRYABLE : Kind.OUTCOME_UNKNOWN, 0,
                new ProviderError(neverSent ? "connection_refused" : "no_response", message), null, e);
    }

    private static ProviderError readError(int status, Message response) {
        String fallback = "HTTP " + status;
        try (InputStream body = response.getBody(InputStream.class)) {
            JsonNode error = body == null ? null : JSON.readTree(body).path("error");
            if (error == null || error.isMissingNode()) {
                return new ProviderError("http_" + status, fallback);
            }
            String code = error.path("code").asText(null);
            String type = error.path("type").asText(null);
            return new ProviderError(code != null ? code : type != null ? type : "http_" + status,
                    error.path("message").asText(fallback));
        } catch (IOException | RuntimeException e) {
            return new ProviderError("http_" + status, fallback);
        }
    }

    /** {@code retry-after-ms} (OpenAI) wins over {@code Retry-After} (seconds or an HTTP date). */
    static Duration retryAfter(Message response) {
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

    // ---------------------------------------------------------------- JSON

    private VideoJob readJob(Exchange response) {
        Long pollAfter = response.getMessage().getHeader("openai-poll-after-ms", Long.class);
        return toJob(readTree(response), pollAfter);
    }

    private static JsonNode readTree(Exchange response) {
        try (InputStream body = response.getMessage().getBody(InputStream.class)) {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static VideoJob toJob(JsonNode n, Long pollAfterMillis) {
        JsonNode err = n.path("error");
        ProviderError error = err.isObject()
                ? new ProviderError(err.path("code").asText("generation_failed"), err.path("message").asText(""))
                : null;
        return new VideoJob(n.path("id").asText(), JobStatus.fromWire(n.path("status").asText("queued")),
                n.path("progress").asInt(0), n.path("model").asText(null), n.path("prompt").asText(null),
                n.path("seconds").asInt(0), n.path("size").asText(null), epoch(n.path("created_at")),
                epoch(n.path("completed_at")), epoch(n.path("expires_at")), error, pollAfterMillis);
    }

    private static Instant epoch(JsonNode seconds) {
        return seconds.isNumber() ? Instant.ofEpochSecond(seconds.asLong()) : null;
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A first-frame image, read from where the row's input_reference points (resolved at ingest). */
    private void addReference(MultipartEntityBuilder form, String reference) throws ProviderException {
        InputReferences.Image image;
        try {
            image = references.read(reference);
        } catch (InputReferences.Unusable e) {
            throw new ProviderException(Kind.REJECTED, 0, new ProviderError("input_reference_unreadable",
                    "input_reference cannot be used: " + e.getMessage()), null, e);
        } catch (IOException e) {
            throw new ProviderException(Kind.RETRYABLE, 0, new ProviderError("input_reference_unavailable",
                    e.getMessage()), null, e);
        }
        form.addBinaryBody("input_reference", image.bytes(), ContentType.create(image.contentType()), image.fileName());
    }
}

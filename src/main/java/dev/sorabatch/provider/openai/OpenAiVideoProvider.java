package dev.sorabatch.provider.openai;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.hc.client5.http.entity.mime.MultipartEntityBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;

import dev.sorabatch.provider.Capability;
import dev.sorabatch.provider.JobRef;
import dev.sorabatch.provider.JobStatus;
import dev.sorabatch.provider.ProviderError;
import dev.sorabatch.provider.ProviderException;
import dev.sorabatch.provider.ProviderException.Kind;
import dev.sorabatch.provider.ReferenceImage;
import dev.sorabatch.provider.Variant;
import dev.sorabatch.provider.VideoJob;
import dev.sorabatch.provider.VideoProvider;
import dev.sorabatch.provider.VideoRequest;
import dev.sorabatch.provider.http.HttpCall;

import static dev.sorabatch.provider.http.HttpCall.JSON;
import static dev.sorabatch.provider.http.HttpCall.encode;

/**
 * OpenAI's Videos API, wire translation only (the HTTP call itself is {@link HttpCall}); also Azure OpenAI v1
 * (base URL {@code https://<resource>.openai.azure.com/openai/v1}, {@code api-key} header, deployment name as model)
 * and the built-in simulator. It lists its jobs (an ambiguous create is settled by listing), serves a thumbnail,
 * takes a first-frame image and remixes; Sora makes sound always. It deduplicates creates only where a gateway does
 * so on a header named in {@code sora.openai.idempotency-header}.
 */
public class OpenAiVideoProvider implements VideoProvider {

    private static final int LIST_PAGE = 100;

    private final String name;
    private final Map<String, String> modelMap;
    private final String idempotencyHeader;
    private final Set<Capability> capabilities;
    private final HttpCall http;

    public OpenAiVideoProvider(CamelContext camel, OpenAiSettings settings) {
        this.name = settings.name();
        this.modelMap = settings.modelMap();
        this.idempotencyHeader = settings.idempotencyHeader();
        // webhooks: OpenAI calls the endpoint set per project in its dashboard, so the create names no URL
        Set<Capability> can = EnumSet.of(Capability.LIST, Capability.THUMBNAIL, Capability.IMAGE_INPUT,
                Capability.REMIX, Capability.AUDIO, Capability.WEBHOOKS);
        if (!idempotencyHeader.isEmpty()) {
            can.add(Capability.IDEMPOTENT_CREATE);
        }
        this.capabilities = Set.copyOf(can);
        String authValue = settings.authHeader().equalsIgnoreCase("authorization") ? "Bearer " + settings.apiKey()
                : settings.apiKey();
        this.http = new HttpCall(camel, settings.baseUrl(), Map.of(settings.authHeader(), authValue),
                OpenAiVideoProvider::readError);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Set<Capability> capabilities() {
        return capabilities;
    }

    @Override
    public VideoJob submit(VideoRequest request, String idempotencyKey) throws ProviderException {
        String path = request.remixOf() != null ? "/videos/" + encode(request.remixOf()) + "/remix" : "/videos";
        Map<String, String> headers = new HashMap<>();
        if (!idempotencyHeader.isEmpty()) {
            headers.put(idempotencyHeader, idempotencyKey);
        }
        return http.call("POST", path, null, headers, body(request), this::readJob);
    }

    /**
     * The create's body. Nothing has been sent yet, so any failure here is final for the request: it is refused
     * with the reason instead of escaping, which would leave its item waiting for a create that never happened.
     */
    private HttpEntity body(VideoRequest request) throws ProviderException {
        try {
            if (request.remixOf() != null) {
                return HttpCall.jsonBody(JSON.createObjectNode().put("prompt", request.prompt()));
            }
            MultipartEntityBuilder form = MultipartEntityBuilder.create()
                    .addTextBody("prompt", request.prompt(), ContentType.TEXT_PLAIN.withCharset(StandardCharsets.UTF_8))
                    .addTextBody("model", modelMap.getOrDefault(request.model(), request.model()))
                    .addTextBody("seconds", Integer.toString(request.seconds())) // a string on the wire; a number is a 400
                    .addTextBody("size", request.frame().size());
            ReferenceImage image = request.image();
            if (image != null) {
                form.addBinaryBody("input_reference", image.bytes(), ContentType.create(image.contentType()),
                        image.fileName());
            }
            return form.build();
        } catch (RuntimeException e) {
            throw new ProviderException(Kind.REJECTED, 0, new ProviderError("request_invalid",
                    "the request could not be built: " + e), null, e);
        }
    }

    @Override
    public VideoJob status(JobRef job) throws ProviderException {
        return http.call("GET", "/videos/" + encode(job.id()), null, null, this::readJob);
    }

    @Override
    public <T> T download(JobRef job, Variant variant, ContentHandler<T> handler) throws ProviderException, IOException {
        return http.download(http.baseUrl() + "/videos/" + encode(job.id()) + "/content?variant=" + variant.wire(),
                variant, handler);
    }

    @Override
    public List<VideoJob> list(Instant since) throws ProviderException {
        List<VideoJob> jobs = new ArrayList<>();
        String after = null;
        while (true) {
            String query = "limit=" + LIST_PAGE + "&order=desc" + (after == null ? "" : "&after=" + encode(after));
            JsonNode page = http.call("GET", "/videos", query, null, HttpCall::json);
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
        http.call("GET", "/videos", "limit=1", null, HttpCall::json);
    }

    // ---------------------------------------------------------------- JSON

    /** The OpenAI error envelope: {@code {"error": {"code", "type", "message"}}}. */
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

    private VideoJob readJob(Exchange response) {
        Long pollAfter = response.getMessage().getHeader("openai-poll-after-ms", Long.class);
        return toJob(HttpCall.json(response), pollAfter);
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
}

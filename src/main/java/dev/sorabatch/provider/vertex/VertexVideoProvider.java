package dev.sorabatch.provider.vertex;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.filter.FilteringParserDelegate;
import com.fasterxml.jackson.core.filter.TokenFilter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.api.client.http.HttpResponseException;
import com.google.auth.oauth2.GoogleCredentials;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

import dev.sorabatch.catalog.Audio;
import dev.sorabatch.catalog.ModelCatalog;
import dev.sorabatch.catalog.ModelSpec;
import dev.sorabatch.catalog.Wire;
import dev.sorabatch.provider.BucketOutput;
import dev.sorabatch.provider.Capability;
import dev.sorabatch.provider.ContentStream;
import dev.sorabatch.provider.JobRef;
import dev.sorabatch.provider.JobStatus;
import dev.sorabatch.provider.ProviderError;
import dev.sorabatch.provider.ProviderException;
import dev.sorabatch.provider.ProviderException.Kind;
import dev.sorabatch.provider.Variant;
import dev.sorabatch.provider.VideoJob;
import dev.sorabatch.provider.VideoProvider;
import dev.sorabatch.provider.VideoRequest;
import dev.sorabatch.provider.http.Adapters;
import dev.sorabatch.provider.http.HttpCall;

import static dev.sorabatch.provider.http.HttpCall.JSON;
import static dev.sorabatch.provider.http.HttpCall.encode;

/**
 * Veo on Google Vertex AI, wire translation only. Sources: Vertex AI docs model-reference/veo-video-generation
 * ({@code :predictLongRunning} with {@code instances[].prompt|image} and {@code parameters.storageUri,
 * durationSeconds, aspectRatio, resolution, generateAudio, sampleCount}; {@code :fetchPredictOperation
 * {operationName}} until {@code done}; {@code response.videos[].gcsUri} or {@code bytesBase64Encoded};
 * {@code raiMediaFilteredCount}/{@code raiMediaFilteredReasons}); googleapis/python-genai {@code google/genai/
 * operations.py} (the fetch URL is the operation name up to {@code /operations/}) and {@code models.py}
 * ({@code _GenerateVideosResponse_from_vertex}); Cloud Storage JSON API objects/get ({@code alt=media}, the object
 * name one encoded segment) and objects/delete; google-auth-library-java for the bearer token.
 * <p>
 * With {@code sora.vertex.output-uri} Veo writes each video under {@code <output-uri>/<item key>/} in the user's
 * bucket, and {@link #download} streams it from Cloud Storage; without, the video comes back base64 in the
 * operation and is decoded while it streams. A filtered result is a failed job ({@code content_filtered}, with the
 * reasons). No list, no idempotency key: a lost create is ambiguous.
 */
public class VertexVideoProvider implements VideoProvider, BucketOutput {

    public static final String NAME = "vertex";
    private static final String INLINE = "bytesBase64Encoded";
    /** Veo takes images inline up to 20 MB (veo-video-generation reference); base64 makes them a third longer. */
    private static final long MAX_INLINE_IMAGE = 20L * 1024 * 1024;
    /** google.rpc.Code by number (googleapis/googleapis google/rpc/code.proto). */
    private static final List<String> RPC_CODES = List.of("OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT",
            "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED",
            "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS",
            "UNAUTHENTICATED");

    private final VertexSettings settings;
    private final ModelCatalog catalog;
    private final HttpCall http;
    private final Set<Capability> capabilities;

    public VertexVideoProvider(CamelContext camel, VertexSettings settings, ModelCatalog catalog) {
        this.settings = settings;
        this.catalog = catalog;
        URI storage = URI.create(settings.storageUrl());
        this.http = new HttpCall(camel, settings.baseUrl(), () -> bearer(settings.credentials()),
                uri -> storage.getScheme().equalsIgnoreCase(uri.getScheme())
                        && storage.getHost().equalsIgnoreCase(uri.getHost()) && storage.getPort() == uri.getPort(),
                VertexVideoProvider::readError);
        EnumSet<Capability> can = EnumSet.of(Capability.IMAGE_INPUT, Capability.AUDIO);
        if (!settings.outputBucket().isEmpty()) {
            can.add(Capability.WRITES_TO_BUCKET);
        }
        this.capabilities = Set.copyOf(can);
    }

    /**
     * A fresh token (refreshed ahead of its expiry by the library). A refusal by the token endpoint is
     * {@link Kind#AUTH}; anything else there left the request unsent.
     */
    private static Map<String, String> bearer(GoogleCredentials credentials) throws ProviderException {
        try {
            credentials.refreshIfExpired();
            return Map.of("Authorization", "Bearer " + credentials.getAccessToken().getTokenValue());
        } catch (IOException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof HttpResponseException r && r.getStatusCode() >= 400 && r.getStatusCode() < 500) {
                    throw new ProviderException(Kind.AUTH, r.getStatusCode(), new ProviderError("credentials_refused",
                            "Google's token endpoint refused the credentials: " + r.getStatusMessage()), null, e);
                }
            }
            throw new ProviderException(Kind.RETRYABLE, 0, new ProviderError("not_sent",
                    "no access token from Google's token endpoint: " + e.getMessage()), null, e);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<Capability> capabilities() {
        return capabilities;
    }

    /** The key is not sent (Vertex deduplicates on nothing); it names the item's folder under the output URI. */
    @Override
    public VideoJob submit(VideoRequest request, String idempotencyKey) throws ProviderException {
        ModelSpec model = Adapters.model(catalog, NAME, request.model());
        Wire.Values wire = model.wire(request.seconds(), request.frame().size());
        ObjectNode body = JSON.createObjectNode();
        ObjectNode instance = body.putArray("instances").addObject().put("prompt", request.prompt());
        if (request.image() != null) {
            if (request.image().bytes().length > MAX_INLINE_IMAGE) {
                throw Adapters.rejected("input_reference_too_large", "the input_reference image is "
                        + request.image().bytes().length + " bytes; Vertex AI takes images of up to 20 MB inline");
            }
            instance.putObject("image").put(INLINE, Base64.getEncoder().encodeToString(request.image().bytes()))
                    .put("mimeType", request.image().contentType());
        }
        ObjectNode parameters = body.putObject("parameters");
        parameters.set("durationSeconds", wire.seconds());
        parameters.put("aspectRatio", wire.aspectRatio()).put("resolution", wire.resolution()).put("sampleCount", 1);
        if (model.audio() == Audio.OPTIONAL) {
            parameters.put("generateAudio", request.audio());
        }
        String storageUri = settings.storageUri(idempotencyKey);
        if (storageUri != null) {
            parameters.put("storageUri", storageUri);
        }
        JsonNode operation = http.call("POST", modelPath(request.model()) + ":predictLongRunning", null,
                HttpCall.jsonBody(body), HttpCall::json);
        return new VideoJob(operation.path("name").asText(), null, JobStatus.QUEUED, 0, request.model(),
                request.prompt(), request.seconds(), request.frame().size(), Instant.now(), null, null, null, null);
    }

    private String modelPath(String model) {
        return "/v1/projects/" + encode(settings.project()) + "/locations/" + encode(settings.location())
                + "/publishers/google/models/" + encode(model);
    }

    @Override
    public VideoJob status(JobRef job) throws ProviderException {
        return toJob(job, operation(job));
    }

    /** The operation without the inline video: its base64 text is skipped by the parser, never held. */
    private JsonNode operation(JobRef job) throws ProviderException {
        return fetch(job, response -> {
            try (InputStream body = response.getMessage().getBody(InputStream.class);
                 JsonParser parser = new FilteringParserDelegate(JSON.createParser(body), new TokenFilter() {
                     @Override
                     public TokenFilter includeProperty(String name) {
                         return name.equals(INLINE) ? null : this;
                     }
                 }, TokenFilter.Inclusion.INCLUDE_ALL_AND_PATH, true)) {
                JsonNode node = JSON.readTree(parser);
                return node == null ? JSON.missingNode() : node;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** {@code POST <name up to /operations/>:fetchPredictOperation} (python-genai operations.py). */
    private <T> T fetch(JobRef job, HttpCall.ResponseReader<T> reader) throws ProviderException {
        String name = job.id();
        int at = name.lastIndexOf("/operations/");
        if (at <= 0) {
            throw new ProviderException(Kind.NOT_FOUND, 0, new ProviderError("operation_unknown",
                    "'" + name + "' is not a Vertex AI operation name"), null, null);
        }
        return http.call("POST", "/v1/" + name.substring(0, at) + ":fetchPredictOperation", null,
                HttpCall.jsonBody(JSON.createObjectNode().put("operationName", name)), reader);
    }

    static VideoJob toJob(JobRef job, JsonNode operation) {
        if (!operation.path("done").asBoolean(false)) {
            return job(job, JobStatus.IN_PROGRESS, -1, null);
        }
        JsonNode error = operation.path("error");
        if (error.isObject()) {
            int code = error.path("code").asInt(2);
            return job(job, code == 1 ? JobStatus.CANCELLED : JobStatus.FAILED, 0, new ProviderError(
                    code >= 0 && code < RPC_CODES.size() ? RPC_CODES.get(code) : "rpc_" + code,
                    error.path("message").asText("the operation failed")));
        }
        JsonNode response = operation.path("response");
        if (response.path("videos").isEmpty()) {
            int filtered = response.path("raiMediaFilteredCount").asInt(0);
            StringBuilder reasons = new StringBuilder();
            response.path("raiMediaFilteredReasons").forEach(r -> reasons.append(reasons.isEmpty() ? "" : "; ")
                    .append(r.asText()));
            return job(job, JobStatus.FAILED, 0, filtered > 0
                    ? new ProviderError("content_filtered", "Vertex AI's safety filters removed " + filtered
                    + " video(s): " + (reasons.isEmpty() ? "no reason given" : reasons))
                    : new ProviderError("no_video", "the operation finished without a video"));
        }
        return job(job, JobStatus.COMPLETED, 100, null);
    }

    private static VideoJob job(JobRef job, JobStatus status, int progress, ProviderError error) {
        return new VideoJob(job.id(), job.handle(), status, progress, null, null, 0, null, null, null, null, error, null);
    }

    @Override
    public <T> T download(JobRef job, Variant variant, ContentHandler<T> handler) throws ProviderException, IOException {
        if (variant != Variant.VIDEO) {
            throw Adapters.noSuchVariant(NAME, variant);
        }
        JsonNode video = video(job);
        if (video.hasNonNull("gcsUri")) {
            return http.download(objectUrl(video.get("gcsUri").asText()) + "?alt=media", variant, handler);
        }
        return inline(job, variant, handler);
    }

    /**
     * The base64 video decoded while it streams into a temporary file, then handed over from there: the operation's
     * answer is never held as one string.
     */
    private <T> T inline(JobRef job, Variant variant, ContentHandler<T> handler) throws ProviderException, IOException {
        Path file = Files.createTempFile("vertex-video", ".mp4");
        try {
            boolean found = fetch(job, response -> decodeInline(response, file));
            if (!found) {
                throw new ProviderException(Kind.NOT_FOUND, 0, new ProviderError("output_missing",
                        "operation " + job.id() + " holds no video"), null, null);
            }
            try (InputStream in = Files.newInputStream(file)) {
                return handler.handle(new ContentStream(in, variant.contentType(), Files.size(file)));
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static boolean decodeInline(Exchange response, Path file) {
        try (InputStream body = response.getMessage().getBody(InputStream.class);
             JsonParser parser = JSON.createParser(body)) {
            for (JsonToken t = parser.nextToken(); t != null; t = parser.nextToken()) {
                if (t == JsonToken.FIELD_NAME && parser.currentName().equals(INLINE)) {
                    parser.nextToken();
                    try (OutputStream out = Files.newOutputStream(file)) {
                        parser.readBinaryValue(out);
                    }
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first video of a finished operation. */
    private JsonNode video(JobRef job) throws ProviderException {
        JsonNode operation = operation(job);
        VideoJob state = toJob(job, operation);
        if (state.status() != JobStatus.COMPLETED) {
            throw new ProviderException(Kind.NOT_FOUND, 0, new ProviderError("output_missing", "operation "
                    + job.id() + " is " + state.status().wire() + " and has no video"), null, null);
        }
        return operation.path("response").path("videos").path(0);
    }

    @Override
    public String outputUri(JobRef job) throws ProviderException {
        JsonNode video = video(job);
        if (!video.hasNonNull("gcsUri")) {
            throw new ProviderException(Kind.NOT_FOUND, 0, new ProviderError("output_inline",
                    "operation " + job.id() + " returned its video inline (no sora.vertex.output-uri)"), null, null);
        }
        return video.get("gcsUri").asText();
    }

    /** Deletes the video Veo wrote, when {@code sora.vertex.delete-after-fetch} says so; one already gone is fine. */
    @Override
    public void release(JobRef job) throws ProviderException {
        if (!settings.deleteAfterFetch() || settings.outputBucket().isEmpty()) {
            return;
        }
        String url = objectUrl(outputUri(job));
        Adapters.unless(() -> http.callUrl("DELETE", url, null, response -> null), Kind.NOT_FOUND);
    }

    /** {@code <storage>/storage/v1/b/<bucket>/o/<object, one encoded segment>} for {@code gs://bucket/object}. */
    private String objectUrl(String gcsUri) throws ProviderException {
        if (!gcsUri.startsWith("gs://") || gcsUri.indexOf('/', 5) < 0) {
            throw new ProviderException(Kind.NOT_FOUND, 0, new ProviderError("output_missing",
                    "'" + gcsUri + "' is not a Cloud Storage object"), null, null);
        }
        int slash = gcsUri.indexOf('/', 5);
        return settings.storageUrl() + "/storage/v1/b/" + encode(gcsUri.substring(5, slash)) + "/o/"
                + encode(gcsUri.substring(slash + 1));
    }

    /**
     * Asks for an operation that does not exist: a 404 (or 400) to credentials that are accepted, 401/403 to
     * others; creates nothing.
     */
    @Override
    public void verifyAccess() throws ProviderException {
        String model = catalog.defaultModel(NAME).id();
        String name = "projects/" + settings.project() + "/locations/" + settings.location()
                + "/publishers/google/models/" + model + "/operations/" + new UUID(0, 0);
        Adapters.unless(() -> fetch(JobRef.of(name), HttpCall::json), Kind.NOT_FOUND, Kind.REJECTED);
    }

    /** Google's error envelope {@code {"error": {"code", "message", "status"}}}. */
    private static ProviderError readError(int status, Message response) {
        String fallback = "HTTP " + status;
        try {
            JsonNode error = HttpCall.json(response).path("error");
            return new ProviderError(error.path("status").asText("http_" + status), error.path("message").asText(fallback));
        } catch (RuntimeException e) {
            return new ProviderError("http_" + status, fallback);
        }
    }
}

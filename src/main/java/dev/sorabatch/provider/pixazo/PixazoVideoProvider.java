package dev.sorabatch.provider.pixazo;

import java.io.IOException;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.CamelContext;
import org.apache.camel.Message;

import dev.sorabatch.catalog.ModelCatalog;
import dev.sorabatch.catalog.ModelSpec;
import dev.sorabatch.catalog.Wire;
import dev.sorabatch.provider.Capability;
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

/**
 * The Pixazo gateway, wire translation only. Sources: Pixazo-AI/skills {@code skills/veo/SKILL.md} and
 * {@code skills/sora/SKILL.md} ({@code Ocp-Apim-Subscription-Key}, {@code PIXAZO_API_KEY}, the generate paths, 401 /
 * 402 out of credits / 429), Pixazo's API reference ("Common API Patterns": generate answers {@code request_id},
 * {@code status}, {@code polling_url}; {@code GET polling_url} until {@code COMPLETED} with
 * {@code output.media_url}; the Sora pages: {@code POST …/video/result {"video_id"}} answering {@code status} and
 * {@code video_url}).
 * <p>
 * The docs disagree on how a result is read, so both shapes are taken: a generate that hands out a
 * {@code polling_url} is polled there; one that answers only a {@code video_id} is asked through the model's
 * {@code …/result}. The handle keeps whichever applies. No list, no idempotency key, no cancel: a lost create is
 * ambiguous. A 402 (out of credits) stops every later create of this adapter without sending it: the account
 * cannot pay for one until it is topped up, and that is not a matter for per-item retries.
 */
public class PixazoVideoProvider implements VideoProvider {

    public static final String NAME = "pixazo";
    private static final Set<Capability> CAPABILITIES = Set.copyOf(EnumSet.of(Capability.IMAGE_INPUT,
            Capability.AUDIO, Capability.WEBHOOKS));
    /** Generate paths of the models the gateway sells (Pixazo-AI/skills skills/veo/SKILL.md). */
    private static final Map<String, String> KNOWN_PATHS = Map.of(
            "veo-3.1", "/veo/v1/veo-3.1/generate",
            "veo-3.1-fast", "/veo31f/v1/veo-3.1-fast/generate");
    /** The gateway takes images as data URIs; no limit is documented, this keeps a request reasonable. */
    private static final long MAX_DATA_URI = 10L * 1024 * 1024;

    private final ModelCatalog catalog;
    private final HttpCall http;
    private final Map<String, String> paths;
    private final String callbackUrl;
    /** Set by the first 402: the reason every later create is refused without being sent. */
    private volatile ProviderException outOfCredits;

    public PixazoVideoProvider(CamelContext camel, PixazoSettings settings, ModelCatalog catalog) {
        this(camel, settings, catalog, null);
    }

    /** @param callbackUrl the generate's {@code callback_url}, where Pixazo calls when the job is done; null for none */
    public PixazoVideoProvider(CamelContext camel, PixazoSettings settings, ModelCatalog catalog, String callbackUrl) {
        this.catalog = catalog;
        this.callbackUrl = callbackUrl;
        this.http = new HttpCall(camel, settings.baseUrl(), Map.of("Ocp-Apim-Subscription-Key", settings.apiKey()),
                PixazoVideoProvider::readError);
        Map<String, String> all = new HashMap<>(KNOWN_PATHS);
        all.putAll(settings.modelPaths());
        this.paths = Map.copyOf(all);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    /** The key is not sent: the gateway deduplicates on nothing. */
    @Override
    public VideoJob submit(VideoRequest request, String idempotencyKey) throws ProviderException {
        ProviderException stop = outOfCredits;
        if (stop != null) {
            throw stop;
        }
        ModelSpec model = Adapters.model(catalog, NAME, request.model());
        String path = paths.get(request.model());
        if (path == null) {
            throw Adapters.rejected("model_path_unknown", "no generate path is known for pixazo model "
                    + request.model() + "; name it in sora.pixazo.model-paths");
        }
        Wire.Values wire = model.wire(request.seconds(), request.frame().size());
        ObjectNode body;
        if (wire.size() != null) { // the Sora pages' fields
            body = JSON.createObjectNode().put("prompt", request.prompt()).put("model", request.model())
                    .put("size", wire.size());
            body.set("seconds", wire.seconds());
        } else { // the Veo pages' fields, Replicate's names
            body = Adapters.veoStyleInput(JSON.createObjectNode(), model, request);
        }
        if (request.image() != null) {
            body.put("image", Adapters.dataUri(request.image(), MAX_DATA_URI, NAME));
        }
        if (callbackUrl != null) {
            body.put("callback_url", callbackUrl);
        }
        JsonNode created;
        try {
            created = http.call("POST", path, null, HttpCall.jsonBody(body), HttpCall::json);
        } catch (ProviderException e) {
            if (e.kind() == Kind.QUOTA_EXHAUSTED) {
                outOfCredits = e;
            }
            throw e;
        }
        String pollingUrl = created.path("polling_url").asText("");
        String id = created.path("request_id").asText(created.path("video_id").asText(created.path("id").asText("")));
        if (id.isEmpty()) {
            throw new ProviderException(Kind.OUTCOME_UNKNOWN, 200, new ProviderError("no_job_id",
                    "the gateway accepted the create but named no request_id or video_id"), null, null);
        }
        ObjectNode handle = JSON.createObjectNode();
        if (!pollingUrl.isEmpty()) {
            handle.put("polling_url", pollingUrl);
        } else {
            handle.put("result_path", path.substring(0, path.lastIndexOf('/'))
                    .replaceFirst("/i2v$", "") + "/result");
        }
        return new VideoJob(id, handle.toString(), JobStatus.QUEUED, 0, request.model(), request.prompt(),
                request.seconds(), request.frame().size(), Instant.now(), null, null, null, null);
    }

    @Override
    public VideoJob status(JobRef job) throws ProviderException {
        return toJob(job, result(job));
    }

    /** The job as either shape reports it: the polling URL's answer, or the result call's. */
    private JsonNode result(JobRef job) throws ProviderException {
        JsonNode handle = handle(job);
        String pollingUrl = handle.path("polling_url").asText("");
        if (!pollingUrl.isEmpty()) {
            return http.callUrl("GET", pollingUrl, null, HttpCall::json);
        }
        return http.call("POST", handle.path("result_path").asText(), null,
                HttpCall.jsonBody(JSON.createObjectNode().put("video_id", job.id())), HttpCall::json);
    }

    @Override
    public <T> T download(JobRef job, Variant variant, ContentHandler<T> handler) throws ProviderException, IOException {
        if (variant != Variant.VIDEO) {
            throw Adapters.noSuchVariant(NAME, variant);
        }
        JsonNode result = result(job);
        String url = videoUrl(result);
        if (url == null) {
            throw new ProviderException(Kind.NOT_FOUND, 0, new ProviderError("output_missing", "request " + job.id()
                    + " is " + result.path("status").asText("?") + " and has no video"), null, null);
        }
        return http.download(url, variant, handler);
    }

    /**
     * The gateway has no account call: the status of a request that does not exist answers 404 to a good key and
     * 401 to a bad one, and costs nothing.
     */
    @Override
    public void verifyAccess() throws ProviderException {
        Adapters.unless(() -> http.call("GET", "/v2/requests/status/" + new UUID(0, 0), null, null, HttpCall::json),
                Kind.NOT_FOUND);
    }

    /** {@code output.media_url} (a list or one URL) from the polling URL, {@code video_url} from the result call. */
    private static String videoUrl(JsonNode result) {
        JsonNode media = result.path("output").path("media_url");
        String url = media.isArray() ? media.path(0).asText(null) : media.isTextual() ? media.asText() : null;
        if (url == null && result.path("video_url").isTextual()) {
            url = result.path("video_url").asText();
        }
        return url == null || url.isEmpty() ? null : url;
    }

    static VideoJob toJob(JobRef job, JsonNode result) {
        String status = result.path("status").asText("").toUpperCase(Locale.ROOT);
        ProviderError error = null;
        JobStatus normal = switch (status) {
            case "QUEUED", "PENDING" -> JobStatus.QUEUED;
            case "COMPLETED", "SUCCEEDED" -> videoUrl(result) != null ? JobStatus.COMPLETED : JobStatus.IN_PROGRESS;
            case "FAILED", "ERROR" -> {
                error = jobError(result.path("error"));
                yield JobStatus.FAILED;
            }
            case "CANCELLED", "CANCELED" -> JobStatus.CANCELLED;
            default -> JobStatus.IN_PROGRESS; // PROCESSING, IN_PROGRESS, or a status newer than this adapter
        };
        int progress = normal == JobStatus.COMPLETED ? 100 : normal == JobStatus.IN_PROGRESS ? -1 : 0;
        return new VideoJob(job.id(), job.handle(), normal, progress, null, null, 0, null, null, null, null, error,
                null);
    }

    /** {@code "error": "…"} or {@code "error": {"code", "message"}}: the docs show both. */
    private static ProviderError jobError(JsonNode error) {
        if (error.isObject()) {
            return new ProviderError(error.path("code").asText("generation_failed"),
                    error.path("message").asText("the generation failed"));
        }
        return new ProviderError("generation_failed", error.isTextual() ? error.asText() : "the generation failed");
    }

    private static JsonNode handle(JobRef job) throws ProviderException {
        try {
            JsonNode handle = job.handle() == null ? null : JSON.readTree(job.handle());
            if (handle != null && (handle.hasNonNull("polling_url") || handle.hasNonNull("result_path"))) {
                return handle;
            }
        } catch (JsonProcessingException e) {
            // reported below
        }
        throw new ProviderException(Kind.NOT_FOUND, 0, new ProviderError("handle_missing",
                "pixazo request " + job.id() + " has no polling URL recorded"), null, null);
    }

    /**
     * {@code {"error": "…"}} (Pixazo-AI/skills: "other 4xx = validation with an error field") or Azure API
     * Management's {@code {"statusCode": 401, "message": "…"}}. A 402 says what to do about it.
     */
    private static ProviderError readError(int status, Message response) {
        String fallback = "HTTP " + status;
        String message;
        try {
            JsonNode body = HttpCall.json(response);
            JsonNode error = body.path("error");
            message = error.isTextual() ? error.asText() : error.path("message").asText(body.path("message")
                    .asText(fallback));
        } catch (RuntimeException e) {
            message = fallback;
        }
        if (status == 402) {
            return new ProviderError("out_of_credits", "the Pixazo account is out of credits (" + message
                    + "); no more videos are created this run: top up at api-console.pixazo.ai and start again");
        }
        return new ProviderError("http_" + status, message);
    }
}

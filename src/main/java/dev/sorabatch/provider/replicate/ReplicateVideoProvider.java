package dev.sorabatch.provider.replicate;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.CamelContext;
import org.apache.camel.Message;

import dev.sorabatch.catalog.Frame;
import dev.sorabatch.catalog.ModelCatalog;
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
import static dev.sorabatch.provider.http.HttpCall.encode;

/**
 * Replicate's predictions API, wire translation only. Sources: replicate/replicate-python
 * {@code replicate/client.py} (Bearer token), {@code replicate/prediction.py} (create by version or by model, get,
 * cancel, list with a {@code next} cursor), {@code replicate/exceptions.py} (problem+json errors); Replicate's HTTP
 * API description ({@code GET /v1/predictions?created_after=}, statuses {@code starting | processing | succeeded |
 * failed | canceled | aborted}, {@code data_removed}); replicate.com/docs topics/predictions/data-retention (an API
 * prediction's input, output and files are removed after an hour).
 * <p>
 * Replicate lists predictions newest first with their input, so an ambiguous create is settled by listing; there
 * is no idempotency key. A model id {@code owner/name} is created through the model's endpoint, {@code
 * owner/name:<version>} through {@code /v1/predictions}. Output files are fetched with the token only from
 * Replicate's own file host ({@code replicate.delivery}).
 */
public class ReplicateVideoProvider implements VideoProvider {

    public static final String NAME = "replicate";
    private static final Set<Capability> CAPABILITIES = Set.copyOf(EnumSet.of(Capability.LIST,
            Capability.IMAGE_INPUT, Capability.AUDIO, Capability.CANCEL, Capability.WEBHOOKS));
    /** "Use a data URL only for files of 256 KB or less" is Replicate's advice; it takes larger ones too. */
    private static final long MAX_DATA_URI = 10L * 1024 * 1024;
    private static final Duration RETENTION = Duration.ofHours(1);
    /** Replicate's error codes, E followed by digits (replicate.com/docs/reference/error-codes). */
    private static final Pattern ERROR_CODE = Pattern.compile("\\b(E\\d{3,4})\\b");

    private final ModelCatalog catalog;
    private final HttpCall http;
    private final String webhook;

    public ReplicateVideoProvider(CamelContext camel, ReplicateSettings settings, ModelCatalog catalog) {
        this(camel, settings, catalog, null);
    }

    /**
     * @param webhook where Replicate calls back when a prediction completes ({@code webhook} with {@code
     *                webhook_events_filter: ["completed"]}, replicate-python {@code prediction.py}), or null for none
     */
    public ReplicateVideoProvider(CamelContext camel, ReplicateSettings settings, ModelCatalog catalog, String webhook) {
        this.catalog = catalog;
        this.webhook = webhook;
        this.http = new HttpCall(camel, settings.baseUrl(), Map.of("Authorization", "Bearer " + settings.apiToken()),
                ReplicateVideoProvider::fileHost, ReplicateVideoProvider::readError);
    }

    /** Replicate's file host, which wants the token (its API description: "pass the Authorization header"). */
    private static boolean fileHost(URI uri) {
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        return "https".equals(uri.getScheme()) && (host.equals("replicate.delivery") || host.endsWith(".replicate.delivery"));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    /** The key is not sent: Replicate deduplicates on nothing; a lost create is found by {@link #list}. */
    @Override
    public VideoJob submit(VideoRequest request, String idempotencyKey) throws ProviderException {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode input = Adapters.veoStyleInput(body.putObject("input"),
                Adapters.model(catalog, NAME, request.model()), request);
        if (request.image() != null) {
            input.put("image", Adapters.dataUri(request.image(), MAX_DATA_URI, NAME)); // google/veo-3.1's start frame
        }
        if (webhook != null) {
            body.put("webhook", webhook);
            body.putArray("webhook_events_filter").add("completed");
        }
        String id = request.model();
        int colon = id.indexOf(':');
        String path;
        if (colon > 0) {
            body.put("version", id.substring(colon + 1));
            path = "/v1/predictions";
        } else {
            String[] owner = id.split("/", 2);
            path = "/v1/models/" + encode(owner[0]) + "/" + encode(owner[1]) + "/predictions";
        }
        return http.call("POST", path, null, HttpCall.jsonBody(body), r -> toJob(HttpCall.json(r)));
    }

    @Override
    public VideoJob status(JobRef job) throws ProviderException {
        return toJob(prediction(job));
    }

    private JsonNode prediction(JobRef job) throws ProviderException {
        return http.call("GET", "/v1/predictions/" + encode(job.id()), null, null, HttpCall::json);
    }

    @Override
    public <T> T download(JobRef job, Variant variant, ContentHandler<T> handler) throws ProviderException, IOException {
        if (variant != Variant.VIDEO) {
            throw Adapters.noSuchVariant(NAME, variant);
        }
        JsonNode prediction = prediction(job);
        JsonNode output = prediction.path("output");
        String url = output.isArray() ? output.path(0).asText(null) : output.isTextual() ? output.asText() : null;
        if (url == null) {
            throw new ProviderException(Kind.NOT_FOUND, 0, new ProviderError(
                    prediction.path("data_removed").asBoolean(false) ? "output_removed" : "output_missing",
                    prediction.path("data_removed").asBoolean(false)
                            ? "Replicate removed the output of prediction " + job.id() + " (it keeps it an hour)"
                            : "prediction " + job.id() + " is " + prediction.path("status").asText("?")
                            + " and has no output"), null, null);
        }
        return http.download(url, variant, handler);
    }

    /** Newest first, following the absolute {@code next} URLs, down to {@code since}. */
    @Override
    public List<VideoJob> list(Instant since) throws ProviderException {
        List<VideoJob> jobs = new ArrayList<>();
        JsonNode page = http.call("GET", "/v1/predictions", "created_after=" + encode(since.toString()), null,
                HttpCall::json);
        while (true) {
            for (JsonNode node : page.path("results")) {
                VideoJob job = toJob(node);
                if (job.createdAt() != null && job.createdAt().isBefore(since)) {
                    return jobs;
                }
                jobs.add(job);
            }
            String next = page.path("next").asText(null);
            if (next == null || next.isEmpty() || page.path("results").isEmpty()) {
                return jobs;
            }
            page = http.callUrl("GET", next, null, HttpCall::json);
        }
    }

    /** {@code POST /v1/predictions/{id}/cancel}; a prediction already gone is left alone. */
    @Override
    public void cancel(JobRef job) throws ProviderException {
        Adapters.unless(() -> http.call("POST", "/v1/predictions/" + encode(job.id()) + "/cancel", null, null,
                HttpCall::json), Kind.NOT_FOUND);
    }

    /** {@code GET /v1/account}: authenticated, and creates nothing. */
    @Override
    public void verifyAccess() throws ProviderException {
        http.call("GET", "/v1/account", null, null, HttpCall::json);
    }

    static VideoJob toJob(JsonNode p) {
        ProviderError error = null;
        JobStatus status = switch (p.path("status").asText("")) {
            case "starting" -> JobStatus.QUEUED;
            case "succeeded" -> JobStatus.COMPLETED;
            case "failed" -> {
                String message = p.path("error").asText("the prediction failed");
                Matcher code = ERROR_CODE.matcher(message);
                error = new ProviderError(code.find() ? code.group(1) : "prediction_failed", message);
                yield JobStatus.FAILED;
            }
            case "canceled", "aborted" -> JobStatus.CANCELLED;
            default -> JobStatus.IN_PROGRESS; // processing, or a status newer than this adapter
        };
        JsonNode input = p.path("input");
        String aspect = input.path("aspect_ratio").asText(null);
        String resolution = input.path("resolution").asText(null);
        String size = aspect == null || resolution == null ? null
                : Frame.of(aspect, resolution).map(Frame::size).orElse(null);
        Instant completed = Adapters.instant(p.path("completed_at"));
        return new VideoJob(p.path("id").asText(), null, status,
                status == JobStatus.COMPLETED ? 100 : status == JobStatus.IN_PROGRESS ? -1 : 0, p.path("model").asText(null),
                input.path("prompt").asText(null), input.path("duration").asInt(0), size, Adapters.instant(p.path("created_at")),
                completed, status == JobStatus.COMPLETED && completed != null ? completed.plus(RETENTION) : null, error,
                null);
    }

    /** problem+json: {@code title}, {@code detail}, {@code status} (replicate-python {@code exceptions.py}). */
    private static ProviderError readError(int status, Message response) {
        String fallback = "HTTP " + status;
        try {
            JsonNode body = HttpCall.json(response);
            String title = body.path("title").asText(null);
            String detail = body.path("detail").asText(title != null ? title : fallback);
            return new ProviderError("http_" + status, detail);
        } catch (RuntimeException e) {
            return new ProviderError("http_" + status, fallback);
        }
    }
}

package dev.sorabatch.provider.fal;

import java.io.IOException;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.CamelContext;
import org.apache.camel.Message;

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
import dev.sorabatch.provider.http.HttpFailures;

import static dev.sorabatch.provider.http.HttpCall.JSON;
import static dev.sorabatch.provider.http.HttpCall.encode;

/**
 * fal's queue API for any fal video model in the catalogue, wire translation only. Sources: fal-ai/fal-js
 * {@code libs/client/src/queue.ts} (submit to the full model id, status/result/cancel on the URLs the submit
 * returns, {@code PUT} to cancel), {@code libs/client/src/request.ts} ({@code Authorization: Key …}),
 * {@code libs/client/src/types/common.ts} (IN_QUEUE with {@code queue_position}, IN_PROGRESS, COMPLETED),
 * {@code libs/client/src/types/endpoints.ts} (model inputs: {@code prompt}, {@code aspect_ratio},
 * {@code resolution}, {@code duration} a string, {@code generate_audio}, {@code image_url}; output
 * {@code video.url}); fal-ai/fal {@code projects/fal_client/src/fal_client/client.py} (COMPLETED may carry
 * {@code error} + {@code error_type}; a result error is {@code detail} with {@code error_type}).
 * <p>
 * The handle of a job is the three URLs the submit returned (status and result use {@code owner/alias} only, never
 * the model's sub-path). fal has no failed status: a request is COMPLETED, and {@link #status} reads its result to
 * tell a video from the model's refusal (422 {@code content_policy_violation}) or error. Over the account's
 * concurrency a request waits in the queue. No list, no idempotency key.
 */
public class FalVideoProvider implements VideoProvider {

    public static final String NAME = "fal";
    private static final Set<Capability> CAPABILITIES = Set.copyOf(EnumSet.of(Capability.IMAGE_INPUT,
            Capability.AUDIO, Capability.CANCEL, Capability.WEBHOOKS));
    /** fal takes data URIs in place of file URLs (fal-js {@code storage.ts} uploads only Blobs). */
    private static final long MAX_DATA_URI = 10L * 1024 * 1024;

    private final ModelCatalog catalog;
    private final HttpCall http;
    private final String webhook;

    public FalVideoProvider(CamelContext camel, FalSettings settings, ModelCatalog catalog) {
        this(camel, settings, catalog, null);
    }

    /**
     * @param webhook where fal calls back when a request completes (the submit's {@code fal_webhook} query
     *                parameter, docs.fal.ai model-endpoints/webhooks; fal-js {@code queue.ts} {@code webhookUrl}), or
     *                null for none
     */
    public FalVideoProvider(CamelContext camel, FalSettings settings, ModelCatalog catalog, String webhook) {
        this.catalog = catalog;
        this.webhook = webhook;
        this.http = new HttpCall(camel, settings.baseUrl(), Map.of("Authorization", "Key " + settings.apiKey()),
                FalVideoProvider::readError);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    /** The key is not sent: fal deduplicates on nothing. */
    @Override
    public VideoJob submit(VideoRequest request, String idempotencyKey) throws ProviderException {
        ObjectNode input = Adapters.veoStyleInput(JSON.createObjectNode(),
                Adapters.model(catalog, NAME, request.model()), request);
        if (request.image() != null) {
            input.put("image_url", Adapters.dataUri(request.image(), MAX_DATA_URI, NAME));
        }
        JsonNode queued = http.call("POST", "/" + request.model(), webhook == null ? null : "fal_webhook="
                + encode(webhook), HttpCall.jsonBody(input), HttpCall::json);
        String handle = JSON.createObjectNode().put("status_url", queued.path("status_url").asText())
                .put("response_url", queued.path("response_url").asText())
                .put("cancel_url", queued.path("cancel_url").asText()).toString();
        return new VideoJob(queued.path("request_id").asText(), handle, JobStatus.QUEUED, 0, request.model(),
                request.prompt(), request.seconds(), request.frame().size(), Instant.now(), null, null, null, null);
    }

    @Override
    public VideoJob status(JobRef job) throws ProviderException {
        JsonNode status = http.callUrl("GET", url(job, "status_url") + "?logs=0", null, HttpCall::json);
        return switch (status.path("status").asText("")) {
            case "IN_QUEUE" -> job(job, JobStatus.QUEUED, 0, null);
            case "COMPLETED" -> completed(job, status);
            default -> job(job, JobStatus.IN_PROGRESS, -1, null); // IN_PROGRESS, or a status newer than this adapter
        };
    }

    /** COMPLETED is not success: an error on the status, or the result's answer, says how the request ended. */
    private VideoJob completed(JobRef job, JsonNode status) throws ProviderException {
        if (status.hasNonNull("error") || status.hasNonNull("error_type")) {
            String type = status.path("error_type").asText("request_failed");
            // client_cancelled: fal's request-errors table, status 499
            return job(job, type.equals("client_cancelled") ? JobStatus.CANCELLED : JobStatus.FAILED, 0,
                    new ProviderError(type, status.path("error").asText(type)));
        }
        return http.exchange("GET", url(job, "response_url"), Map.of(), null, (code, response) -> {
            if (code >= 200 && code < 300) {
                return job(job, JobStatus.COMPLETED, 100, null);
            }
            Message m = response.getMessage();
            ProviderError error = readError(code, m);
            // the model's own answer carries the request id; an ingress error (a 5xx before the model) does not
            if (m.getHeader("x-fal-request-id") != null && code != 429 && code != 503) {
                return job(job, JobStatus.FAILED, 0, error);
            }
            throw HttpFailures.answer(code, error, m);
        });
    }

    private static VideoJob job(JobRef job, JobStatus status, int progress, ProviderError error) {
        return new VideoJob(job.id(), job.handle(), status, progress, null, null, 0, null, null, null, null, error, null);
    }

    @Override
    public <T> T download(JobRef job, Variant variant, ContentHandler<T> handler) throws ProviderException, IOException {
        if (variant != Variant.VIDEO) {
            throw Adapters.noSuchVariant(NAME, variant);
        }
        JsonNode result = http.callUrl("GET", url(job, "response_url"), null, HttpCall::json);
        String url = result.path("video").path("url").asText(null);
        if (url == null) {
            throw new ProviderException(Kind.NOT_FOUND, 0, new ProviderError("output_missing",
                    "request " + job.id() + " has no video in its result"), null, null);
        }
        return http.download(url, variant, handler);
    }

    /** {@code PUT cancel_url}; a request already completed (400 ALREADY_COMPLETED) or gone is left alone. */
    @Override
    public void cancel(JobRef job) throws ProviderException {
        String url = url(job, "cancel_url");
        Adapters.unless(() -> http.callUrl("PUT", url, null, response -> null), Kind.REJECTED, Kind.NOT_FOUND);
    }

    /**
     * fal has no account call under the queue's key: the status of a request that does not exist, under the
     * default model, answers 404 to a good key and 401/403 to a bad one, and costs nothing.
     */
    @Override
    public void verifyAccess() throws ProviderException {
        String[] model = catalog.defaultModel(NAME).id().split("/");
        Adapters.unless(() -> http.call("GET", "/" + model[0] + "/" + model[1] + "/requests/" + new UUID(0, 0)
                + "/status", null, null, HttpCall::json), Kind.NOT_FOUND);
    }

    private static String url(JobRef job, String field) throws ProviderException {
        try {
            JsonNode handle = job.handle() == null ? null : JSON.readTree(job.handle());
            String url = handle == null ? null : handle.path(field).asText(null);
            if (url != null && !url.isEmpty()) {
                return url;
            }
        } catch (JsonProcessingException e) {
            // reported below
        }
        throw new ProviderException(Kind.NOT_FOUND, 0, new ProviderError("handle_missing",
                "fal request " + job.id() + " has no " + field + " recorded"), null, null);
    }

    /**
     * fal's errors: {@code {"detail": "…", "error_type": "…"}} or a model's validation {@code {"detail": [{"loc",
     * "msg", "type"}]}} (fal-js {@code response.ts}; fal_client {@code _raise_for_status}); the type may also come
     * as the {@code X-Fal-Error-Type} header.
     */
    private static ProviderError readError(int status, Message response) {
        String fallback = "HTTP " + status;
        String headerType = response.getHeader("X-Fal-Error-Type", String.class);
        try {
            JsonNode body = HttpCall.json(response);
            JsonNode detail = body.path("detail");
            if (detail.isArray() && !detail.isEmpty()) {
                JsonNode first = detail.get(0);
                return new ProviderError(first.path("type").asText("http_" + status), first.path("msg").asText(fallback));
            }
            String type = body.path("error_type").asText(headerType != null ? headerType : "http_" + status);
            return new ProviderError(type, detail.isTextual() ? detail.asText() : fallback);
        } catch (RuntimeException e) {
            return new ProviderError(headerType != null ? headerType : "http_" + status, fallback);
        }
    }
}

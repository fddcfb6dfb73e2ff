package dev.sorabatch.provider.runway;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.CamelContext;
import org.apache.camel.Message;

import dev.sorabatch.catalog.Audio;
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
import static dev.sorabatch.provider.http.HttpCall.encode;

/**
 * Runway's API, wire translation only. Sources: runwayml/sdk-python {@code src/runwayml/_client.py} (Bearer key,
 * {@code X-Runway-Version}), {@code types/text_to_video_create_params.py} and {@code image_to_video_create_params.py}
 * (camelCase body: {@code model}, {@code promptText}, {@code ratio} as {@code 1280:720}, {@code duration} a number,
 * {@code audio} for the Veo 3.1 models, {@code promptImage}), {@code types/task_retrieve_response.py} (statuses),
 * {@code resources/tasks.py} ({@code DELETE} cancels), {@code resources/organization.py}.
 * <p>
 * Runway has no list and no idempotency key (the SDK sets none), so an ambiguous create cannot be settled here;
 * a task over the account's concurrency waits {@code THROTTLED}, which is queued. Output URLs expire 24–48 h after
 * they are handed out, so {@link #download} asks for the task again and uses the fresh URL, without the key.
 */
public class RunwayVideoProvider implements VideoProvider {

    public static final String NAME = "runway";
    /** Data URIs of up to 5 MB (docs.dev.runwayml.com/assets/inputs). */
    private static final long MAX_DATA_URI = 5L * 1024 * 1024;
    private static final Set<Capability> CAPABILITIES = Set.copyOf(EnumSet.of(Capability.IMAGE_INPUT,
            Capability.AUDIO, Capability.CANCEL));

    private final ModelCatalog catalog;
    private final HttpCall http;

    public RunwayVideoProvider(CamelContext camel, RunwaySettings settings, ModelCatalog catalog) {
        this.catalog = catalog;
        this.http = new HttpCall(camel, settings.baseUrl(), Map.of("Authorization", "Bearer " + settings.apiKey(),
                "X-Runway-Version", settings.apiVersion()), RunwayVideoProvider::readError);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    /** The key is not sent: Runway deduplicates on nothing. */
    @Override
    public VideoJob submit(VideoRequest request, String idempotencyKey) throws ProviderException {
        ModelSpec model = Adapters.model(catalog, NAME, request.model());
        Wire.Values wire = model.wire(request.seconds(), request.frame().size());
        ObjectNode body = JSON.createObjectNode().put("model", request.model()).put("promptText", request.prompt())
                .put("ratio", wire.size());
        body.set("duration", wire.seconds());
        if (model.audio() == Audio.OPTIONAL) {
            body.put("audio", request.audio());
        }
        String path = "/v1/text_to_video";
        if (request.image() != null) {
            body.putArray("promptImage").addObject()
                    .put("uri", Adapters.dataUri(request.image(), MAX_DATA_URI, NAME)).put("position", "first");
            path = "/v1/image_to_video";
        }
        JsonNode created = http.call("POST", path, null, HttpCall.jsonBody(body), HttpCall::json);
        return new VideoJob(created.path("id").asText(), JobStatus.QUEUED, 0, request.model(), request.prompt(),
                request.seconds(), request.frame().size(), Instant.now(), null, null, null, null);
    }

    @Override
    public VideoJob status(JobRef job) throws ProviderException {
        return toJob(task(job));
    }

    private JsonNode task(JobRef job) throws ProviderException {
        return http.call("GET", "/v1/tasks/" + encode(job.id()), null, null, HttpCall::json);
    }

    @Override
    public <T> T download(JobRef job, Variant variant, ContentHandler<T> handler) throws ProviderException, IOException {
        if (variant != Variant.VIDEO) {
            throw Adapters.noSuchVariant(NAME, variant);
        }
        JsonNode task = task(job);
        String url = task.path("output").path(0).asText(null);
        if (url == null) {
            throw new ProviderException(Kind.NOT_FOUND, 0, new ProviderError("output_missing",
                    "task " + job.id() + " is " + task.path("status").asText("?") + " and has no output"), null, null);
        }
        return http.download(url, variant, handler);
    }

    /** {@code DELETE /v1/tasks/{id}}: cancels a task that has not finished. A task already gone is left alone. */
    @Override
    public void cancel(JobRef job) throws ProviderException {
        Adapters.unless(() -> http.call("DELETE", "/v1/tasks/" + encode(job.id()), null, null, response -> null),
                Kind.NOT_FOUND);
    }

    /** {@code GET /v1/organization}: authenticated, and creates nothing. */
    @Override
    public void verifyAccess() throws ProviderException {
        http.call("GET", "/v1/organization", null, null, HttpCall::json);
    }

    static VideoJob toJob(JsonNode task) {
        String status = task.path("status").asText("");
        ProviderError error = null;
        JobStatus normal;
        int progress = 0;
        switch (status) {
            case "PENDING", "THROTTLED" -> normal = JobStatus.QUEUED;
            case "RUNNING" -> {
                normal = JobStatus.IN_PROGRESS;
                progress = task.hasNonNull("progress") ? (int) Math.min(99, Math.round(task.get("progress").asDouble() * 100)) : -1;
            }
            case "SUCCEEDED" -> {
                normal = JobStatus.COMPLETED;
                progress = 100;
            }
            case "FAILED" -> {
                normal = JobStatus.FAILED;
                // failureCode is machine-readable (SAFETY.INPUT.TEXT for a moderation refusal); failure is for people
                error = new ProviderError(task.path("failureCode").asText("task_failed"),
                        task.path("failure").asText("the task failed"));
            }
            case "CANCELLED" -> normal = JobStatus.CANCELLED;
            default -> {
                normal = JobStatus.IN_PROGRESS; // a status newer than this adapter: keep checking
                progress = -1;
            }
        }
        return new VideoJob(task.path("id").asText(), normal, progress, null, null, 0, null,
                Adapters.instant(task.path("createdAt")), null, null, error, null);
    }

    /** Runway's error body: {@code {"error": "…"}} (docs.dev.runwayml.com/api-details/errors). */
    private static ProviderError readError(int status, Message response) {
        String fallback = "HTTP " + status;
        try (InputStream body = response.getBody(InputStream.class)) {
            JsonNode error = body == null ? null : JSON.readTree(body);
            String message = error == null ? null : error.path("error").asText(null);
            return new ProviderError("http_" + status, message == null ? fallback : message);
        } catch (IOException | RuntimeException e) {
            return new ProviderError("http_" + status, fallback);
        }
    }
}

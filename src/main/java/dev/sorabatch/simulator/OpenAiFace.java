package dev.sorabatch.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;

/**
 * OpenAI's Videos API ({@code /v1/videos}). Over the in-flight limit it answers 429 with {@code Retry-After}, like
 * the real service; the blocked word is refused at create ({@code 400 moderation_blocked}). Content of a job that is
 * not completed is refused with {@code 400 video_not_ready}; content past its expiry with {@code 404 video_expired};
 * an unknown job id with {@code 404 not_found}. A create carrying {@code Idempotency-Key} returns the earlier job of
 * that key, as a deduplicating gateway does.
 */
final class OpenAiFace extends Face {

    private static final Pattern ROUTE = Pattern.compile("/v1/videos(?:/([^/]+)(?:/(content|remix))?)?/?");
    private static final Set<String> SECONDS = Set.of("4", "8", "12", "16", "20");
    private static final List<String> CREATE_FIELDS = List.of("prompt", "model", "seconds", "size");
    private static final Wire.JobError FAILURE =
            new Wire.JobError("video_generation_failed", "Video generation failed. Please try again.");
    private static final int DEFAULT_PAGE = 20;
    private static final int MAX_PAGE = 100;

    private final Callbacks callbacks;

    OpenAiFace(Jobs jobs, SimulatorSettings settings, SimulatorStats stats, Callbacks callbacks) {
        super(SimulatorApi.OPENAI, jobs, settings, stats);
        this.callbacks = callbacks;
    }

    @Override
    boolean authorized(Headers headers, String key) {
        return ("Bearer " + key).equals(headers.getFirst("Authorization")) || key.equals(headers.getFirst("api-key"));
    }

    @Override
    ApiException unauthorized() {
        return new ApiException(401, "invalid_request_error", null, "invalid_api_key", "Incorrect API key provided.");
    }

    @Override
    void sendError(HttpExchange exchange, ApiException error, String echo) throws IOException {
        sendJson(exchange, error.status(), error.envelope(echo));
    }

    @Override
    void route(HttpExchange exchange, String method, String path) throws IOException {
        Matcher m = ROUTE.matcher(path);
        String route = !m.matches() ? "" : m.group(1) == null ? "videos" : m.group(2) == null ? "video" : m.group(2);
        switch (method + " " + route) {
            case "POST videos" -> create(exchange);
            case "GET videos" -> list(exchange);
            case "GET video" -> status(exchange, m.group(1));
            case "DELETE video" -> delete(exchange, m.group(1));
            case "GET content" -> content(exchange, m.group(1));
            case "POST remix" -> remix(exchange, m.group(1));
            default -> throw ApiException.notFound(null, "Invalid URL (" + method + " " + path + ")");
        }
    }

    private void create(HttpExchange exchange) throws IOException {
        stats.countCreateRequest();
        Map<String, String> fields = readFields(exchange);
        String seconds = fields.getOrDefault("seconds", "4");
        if (!SECONDS.contains(seconds)) {
            throw ApiException.invalid("seconds", "invalid_value",
                    "Invalid value: '" + seconds + "'. Supported values are: '4', '8', '12', '16' and '20'.");
        }
        admit(exchange, new Job.Spec(fields.getOrDefault("model", "sora-2"), prompt(fields), seconds,
                fields.getOrDefault("size", "720x1280"), null, null));
    }

    private void remix(HttpExchange exchange, String sourceId) throws IOException {
        stats.countCreateRequest();
        Map<String, String> fields = readFields(exchange);
        Job source = jobs.find(sourceId);
        if (source.phase(System.currentTimeMillis()) != Job.Phase.SUCCEEDED) {
            throw notReady(source);
        }
        Job.Spec from = source.spec();
        admit(exchange, new Job.Spec(from.model(), prompt(fields), from.seconds(), from.size(), sourceId, null));
    }

    private String prompt(Map<String, String> fields) {
        String prompt = fields.get("prompt");
        if (prompt == null || prompt.isBlank()) {
            throw ApiException.invalid("prompt", "missing_required_parameter", "Missing required parameter: 'prompt'.");
        }
        if (Jobs.blocked(prompt, settings)) {
            throw ApiException.invalid("prompt", "moderation_blocked",
                    "Your request was blocked by our moderation system.");
        }
        return prompt;
    }

    private void admit(HttpExchange exchange, Job.Spec spec) throws IOException {
        String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
        Jobs.Admission admission = jobs.admit(spec, "video_", Jobs.OverLimit.REFUSE, key, settings, stats);
        Job job = admission.job();
        String webhook = settings.webhookUrl();
        if (webhook != null && !admission.replayed()) {
            callbacks.whenDone(job, webhook, () -> event(job), callbacks.standardWebhooks());
        }
        if (!loseAnswer()) {
            sendJson(exchange, 200, view(job, System.currentTimeMillis()));
        }
    }

    /**
     * The event OpenAI's webhooks deliver, {@code {id, object: "event", created_at, type, data: {id}}}
     * (openai-python {@code types/webhooks/batch_completed_webhook_event.py}), typed as a gateway serving videos
     * would: {@code video.completed} or {@code video.failed}.
     */
    private static JsonNode event(Job job) {
        long now = System.currentTimeMillis();
        ObjectNode event = JSON.createObjectNode()
                .put("id", "evt_" + UUID.randomUUID().toString().replace("-", "")).put("object", "event")
                .put("created_at", now / 1000)
                .put("type", job.phase(now) == Job.Phase.SUCCEEDED ? "video.completed" : "video.failed");
        event.putObject("data").put("id", job.id());
        return event;
    }

    /** Create fields from a multipart form or a JSON object; in JSON every known field must be a string. */
    private static Map<String, String> readFields(HttpExchange exchange) throws IOException {
        String header = String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type"));
        String type = header.toLowerCase(Locale.ROOT);
        InputStream body = exchange.getRequestBody();
        if (type.startsWith("multipart/form-data")) {
            return MultipartForm.read(body, MultipartForm.boundary(header));
        }
        if (!type.startsWith("application/json")) {
            throw ApiException.invalid(null, "unsupported_content_type",
                    "Expected multipart/form-data or application/json, got " + header + ".");
        }
        JsonNode root = readObject(exchange,
                ApiException.invalid(null, "invalid_json", "We could not parse the JSON body of your request."));
        Map<String, String> fields = new HashMap<>();
        for (String name : CREATE_FIELDS) {
            JsonNode value = root.get(name);
            if (value != null && !value.isNull()) {
                if (!value.isTextual()) {
                    throw ApiException.invalid(name, "invalid_type", "Invalid type for '" + name
                            + "': expected a string, but got " + value.getNodeType().name().toLowerCase(Locale.ROOT)
                            + " instead.");
                }
                fields.put(name, value.textValue());
            }
        }
        return fields;
    }

    private void status(HttpExchange exchange, String id) throws IOException {
        stats.countStatusCall(id);
        Job job = jobs.find(id);
        Long pollAfter = settings.pollAfterMillis();
        if (pollAfter != null) {
            exchange.getResponseHeaders().set("openai-poll-after-ms", pollAfter.toString());
        }
        sendJson(exchange, 200, view(job, System.currentTimeMillis()));
    }

    private void list(HttpExchange exchange) throws IOException {
        stats.countListCall();
        Map<String, String> query = query(exchange);
        int limit;
        try {
            limit = Math.min(MAX_PAGE, Integer.parseInt(query.getOrDefault("limit", Integer.toString(DEFAULT_PAGE))));
        } catch (NumberFormatException e) {
            limit = 0;
        }
        if (limit < 1) {
            throw ApiException.invalid("limit", "invalid_value", "limit must be an integer between 1 and " + MAX_PAGE + ".");
        }
        String order = query.getOrDefault("order", "desc");
        if (!order.equals("asc") && !order.equals("desc")) {
            throw ApiException.invalid("order", "invalid_value", "order must be 'asc' or 'desc'.");
        }
        List<Job> page = jobs.page(order.equals("asc"), query.get("after"), limit + 1);
        long now = System.currentTimeMillis();
        List<Wire.Video> data = page.stream().limit(limit).map(job -> view(job, now)).toList();
        sendJson(exchange, 200, new Wire.VideoList("list", data, data.isEmpty() ? null : data.get(0).id(),
                data.isEmpty() ? null : data.get(data.size() - 1).id(), page.size() > limit));
    }

    private void delete(HttpExchange exchange, String id) throws IOException {
        jobs.remove(id);
        sendJson(exchange, 200, new Wire.Deleted(id, "video.deleted", true));
    }

    private void content(HttpExchange exchange, String id) throws IOException {
        Job job = jobs.find(id);
        String variant = query(exchange).getOrDefault("variant", "video");
        Asset asset = Asset.fromWire(variant);
        if (asset == null) {
            throw ApiException.invalid("variant", "invalid_value",
                    "Invalid variant '" + variant + "'. Supported values are: 'video', 'thumbnail' and 'spritesheet'.");
        }
        long now = System.currentTimeMillis();
        if (job.phase(now) != Job.Phase.SUCCEEDED) {
            throw notReady(job);
        }
        if (job.expired(now, settings.contentExpiry())) {
            throw ApiException.notFound("video_expired", "The content of video '" + id + "' has expired.");
        }
        sendAsset(exchange, asset);
    }

    private static ApiException notReady(Job job) {
        return ApiException.invalid(null, "video_not_ready", job.outcome() != Job.Outcome.SUCCEEDS
                ? "Video '" + job.id() + "' failed; it has no content."
                : "Video '" + job.id() + "' is not ready yet; wait until its status is 'completed'.");
    }

    private Wire.Video view(Job job, long now) {
        Job.Phase phase = job.phase(now);
        String status = switch (phase) {
            case WAITING, PENDING -> "queued";
            case RUNNING -> "in_progress";
            case SUCCEEDED -> "completed";
            case FAILED, CANCELLED -> "failed";
        };
        boolean completed = phase == Job.Phase.SUCCEEDED;
        Job.Spec spec = job.spec();
        return new Wire.Video(job.id(), "video", spec.model(), status, job.progress(now), job.createdAt().getEpochSecond(),
                completed ? job.endsAt() / 1000 : null,
                completed ? job.expiresAt(settings.contentExpiry()).getEpochSecond() : null, spec.prompt(), spec.size(),
                spec.seconds(), spec.remixOf(), phase == Job.Phase.FAILED ? FAILURE : null);
    }
}

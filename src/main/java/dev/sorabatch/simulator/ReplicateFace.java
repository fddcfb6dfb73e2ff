package dev.sorabatch.simulator;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;

/**
 * Replicate's predictions API (replicate/replicate-python {@code replicate/prediction.py}, {@code exceptions.py};
 * the HTTP API's OpenAPI description). Creates by model ({@code /v1/models/{owner}/{name}/predictions}) or by
 * version ({@code /v1/predictions}) answer 201; statuses {@code starting | processing | succeeded | failed |
 * canceled}; over the in-flight limit a prediction stays {@code starting}. The list, newest first, pages by an
 * absolute {@code next} URL and holds each prediction's input, so a lost create can be found. Past the content
 * expiry (Replicate removes API predictions' data after an hour) {@code output} is null and {@code data_removed}
 * true. Errors are problem+json ({@code title}, {@code detail}, {@code status}).
 */
final class ReplicateFace extends Face {

    private static final Pattern BY_MODEL = Pattern.compile("/v1/models/([^/]+)/([^/]+)/predictions");
    private static final Pattern PREDICTION = Pattern.compile("/v1/predictions/([^/]+)(/cancel)?");
    private static final int PAGE = 100;

    private final Callbacks callbacks;

    ReplicateFace(Jobs jobs, SimulatorSettings settings, SimulatorStats stats, Callbacks callbacks) {
        super(SimulatorApi.REPLICATE, jobs, settings, stats);
        this.callbacks = callbacks;
    }

    @Override
    boolean authorized(Headers headers, String key) {
        return ("Bearer " + key).equals(headers.getFirst("Authorization"));
    }

    /** The real 401 (replicate-python tests/cassettes/run__invalid-token.yaml). */
    @Override
    ApiException unauthorized() {
        return new ApiException(401, "Unauthenticated", null, null, "You did not pass a valid authentication token");
    }

    @Override
    void sendError(HttpExchange exchange, ApiException error, String echo) throws IOException {
        String title = error.status() == 429 ? "Request was throttled" : error.status() == 401 ? "Unauthenticated"
                : error.status() == 404 ? "Not found" : error.status() == 422 ? "Input validation failed"
                : error.status() >= 500 ? "Internal server error" : "Bad request";
        byte[] bytes = JSON.writeValueAsBytes(JSON.createObjectNode().put("title", title)
                .put("detail", error.getMessage() + echo).put("status", error.status()));
        exchange.getResponseHeaders().set("Content-Type", "application/problem+json");
        exchange.sendResponseHeaders(error.status(), bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    void route(HttpExchange exchange, String method, String path) throws IOException {
        if (isFile(path)) {
            file(exchange, path);
            return;
        }
        Matcher byModel = BY_MODEL.matcher(path);
        Matcher prediction = PREDICTION.matcher(path);
        if (method.equals("POST") && byModel.matches()) {
            create(exchange, byModel.group(1) + "/" + byModel.group(2), false);
        } else if (method.equals("POST") && path.equals("/v1/predictions")) {
            create(exchange, null, true);
        } else if (method.equals("GET") && path.equals("/v1/predictions")) {
            list(exchange);
        } else if (prediction.matches() && method.equals(prediction.group(2) == null ? "GET" : "POST")) {
            Job job = find(prediction.group(1));
            if (prediction.group(2) == null) {
                stats.countStatusCall(job.id());
            } else if (job.cancel(System.currentTimeMillis())) {
                stats.countCancel();
            }
            sendJson(exchange, 200, view(job, System.currentTimeMillis()));
        } else if (method.equals("GET") && path.equals("/v1/account")) {
            sendJson(exchange, 200, JSON.createObjectNode().put("type", "user").put("username", "simulator")
                    .put("name", "Simulator"));
        } else {
            throw ApiException.notFound(null, "The requested resource could not be found.");
        }
    }

    private void create(HttpExchange exchange, String model, boolean byVersion) throws IOException {
        stats.countCreateRequest();
        JsonNode body = readObject(exchange, new ApiException(400, null, null, null, "The request body is not JSON."));
        String version = text(body, "version");
        if (byVersion && (version == null || version.isBlank())) {
            throw new ApiException(422, null, "version", null, "- version: Additional property version is required");
        }
        JsonNode input = body.get("input");
        if (input == null || !input.isObject()) {
            throw new ApiException(422, null, "input", null, "- input: input is required");
        }
        String prompt = text(input, "prompt");
        if (prompt == null || prompt.isBlank()) {
            throw new ApiException(422, null, "prompt", null, "- input: prompt is required");
        }
        String name = model != null ? model : version.contains(":") ? version.substring(0, version.indexOf(':')) : version;
        Job job = jobs.admit(new Job.Spec(name, prompt, text(input, "duration"), text(input, "aspect_ratio"), null, body),
                "r", Jobs.OverLimit.QUEUE, null, settings, stats).job();
        String webhook = text(body, "webhook");
        if (webhook != null && wantsCompleted(body.get("webhook_events_filter"))) {
            callbacks.whenDone(job, webhook, () -> view(job, System.currentTimeMillis()), callbacks.standardWebhooks());
        }
        if (!loseAnswer()) {
            sendJson(exchange, 201, view(job, System.currentTimeMillis()));
        }
    }

    /** Without a filter Replicate sends every event; with one, only those it names. */
    private static boolean wantsCompleted(JsonNode filter) {
        if (filter == null || !filter.isArray()) {
            return true;
        }
        for (JsonNode event : filter) {
            if ("completed".equals(event.asText())) {
                return true;
            }
        }
        return false;
    }

    private Job find(String id) {
        Job job = jobs.get(id);
        if (job == null) {
            throw ApiException.notFound(null, "The requested resource could not be found.");
        }
        return job;
    }

    /** Newest first, from {@code cursor} (a creation sequence, exclusive) on; {@code created_after} inclusive. */
    private void list(HttpExchange exchange) throws IOException {
        stats.countListCall();
        Map<String, String> query = query(exchange);
        Instant after;
        try {
            after = query.containsKey("created_after") ? Instant.parse(query.get("created_after")) : Instant.EPOCH;
        } catch (DateTimeParseException e) {
            throw new ApiException(400, null, "created_after", null, "created_after must be an ISO 8601 date-time");
        }
        long cursor = Long.parseLong(query.getOrDefault("cursor", Long.toString(Long.MAX_VALUE)));
        List<Job> page = jobs.page(false, null, Integer.MAX_VALUE).stream()
                .filter(j -> j.seq() < cursor && !j.createdAt().isBefore(after)).limit(PAGE + 1).toList();
        long now = System.currentTimeMillis();
        ObjectNode body = JSON.createObjectNode();
        page.stream().limit(PAGE).forEach(job -> body.withArray("results").add(view(job, now)));
        body.withArray("results");
        body.put("next", page.size() > PAGE ? baseUrl() + "/v1/predictions?cursor=" + page.get(PAGE - 1).seq()
                + "&created_after=" + URLEncoder.encode(after.toString(), StandardCharsets.UTF_8) : null);
        body.putNull("previous");
        sendJson(exchange, 200, body);
    }

    private ObjectNode view(Job job, long now) {
        Job.Phase phase = job.phase(now);
        JsonNode request = job.spec().input();
        boolean removed = phase.finished() && job.expired(now, settings.contentExpiry());
        ObjectNode p = JSON.createObjectNode().put("id", job.id()).put("model", job.spec().model())
                .put("version", request.hasNonNull("version") ? request.get("version").asText() : "hidden");
        if (removed) {
            p.putObject("input");
        } else {
            p.set("input", request.get("input"));
        }
        p.put("status", switch (phase) {
            case WAITING, PENDING -> "starting";
            case RUNNING -> "processing";
            case SUCCEEDED -> "succeeded";
            case FAILED -> "failed";
            case CANCELLED -> "canceled";
        });
        p.put("output", phase == Job.Phase.SUCCEEDED && !removed ? fileUrl(job, "") : null);
        p.put("error", phase != Job.Phase.FAILED ? null : job.outcome() == Job.Outcome.BLOCKED
                ? "The input or output was flagged as sensitive. Please try again with different inputs. (E005)"
                : "Prediction failed: the model raised an error.");
        p.put("logs", "").put("data_removed", removed).put("source", "api")
                .put("created_at", DateTimeFormatter.ISO_INSTANT.format(job.createdAt()));
        Instant finished = job.finishedAt(now);
        if (finished != null) {
            p.put("completed_at", DateTimeFormatter.ISO_INSTANT.format(finished));
        }
        String get = baseUrl() + "/v1/predictions/" + job.id();
        p.putObject("urls").put("get", get).put("cancel", get + "/cancel");
        return p;
    }

    private void file(HttpExchange exchange, String path) throws IOException {
        Job job = fileJob(path);
        long now = System.currentTimeMillis();
        if (job == null || job.phase(now) != Job.Phase.SUCCEEDED || job.expired(now, settings.contentExpiry())) {
            throw ApiException.notFound(null, "File not found");
        }
        sendFile(exchange);
    }
}

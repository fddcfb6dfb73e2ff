package dev.sorabatch.simulator;

import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;

/**
 * The Pixazo gateway (Pixazo-AI/skills {@code skills/veo/SKILL.md}, {@code skills/sora/SKILL.md}; Pixazo's API
 * reference, "Common API Patterns" and the Sora pages), key in {@code Ocp-Apim-Subscription-Key}. Any
 * {@code POST /<api>/v1/…/generate} creates a job. Both documented result shapes are served: under
 * {@code /sora-video/} the older one (generate answers a {@code video_id}; {@code POST /sora-video/v1/video/result}
 * answers lowercase {@code status} and {@code video_url}), elsewhere the gateway's common one (generate answers
 * {@code request_id} and {@code polling_url}; {@code GET /v2/requests/status/{id}} answers UPPERCASE {@code status}
 * and {@code output.media_url[]}). Over the in-flight limit a job stays QUEUED. Out of credits is 402; errors are
 * {@code {"error": "…"}}, a bad key Azure API Management's {@code {"statusCode", "message"}}.
 */
final class PixazoFace extends Face {

    private static final Pattern GENERATE = Pattern.compile("/([a-z0-9-]+)/v1/.*generate");
    private static final Pattern STATUS = Pattern.compile("/v2/requests/status/([^/]+)");
    private static final String LEGACY = "sora-video";

    private final Callbacks callbacks;

    PixazoFace(Jobs jobs, SimulatorSettings settings, SimulatorStats stats, Callbacks callbacks) {
        super(SimulatorApi.PIXAZO, jobs, settings, stats);
        this.callbacks = callbacks;
    }

    @Override
    boolean authorized(Headers headers, String key) {
        return key.equals(headers.getFirst("Ocp-Apim-Subscription-Key"));
    }

    @Override
    ApiException unauthorized() {
        return new ApiException(401, null, null, null, "Access denied due to invalid subscription key. Make sure to"
                + " provide a valid key for an active subscription.");
    }

    @Override
    void sendError(HttpExchange exchange, ApiException error, String echo) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        if (error.status() == 401) {
            body.put("statusCode", 401).put("message", error.getMessage() + echo);
        } else {
            body.put("error", error.getMessage() + echo);
        }
        sendJson(exchange, error.status(), body);
    }

    @Override
    void route(HttpExchange exchange, String method, String path) throws IOException {
        if (isFile(path)) {
            file(exchange, path);
            return;
        }
        Matcher generate = GENERATE.matcher(path);
        Matcher status = STATUS.matcher(path);
        if (method.equals("POST") && path.equals("/" + LEGACY + "/v1/video/result")) {
            JsonNode body = readObject(exchange, new ApiException(400, null, null, null, "video_id is required"));
            String id = text(body, "video_id");
            sendJson(exchange, 200, result(job(id == null ? "" : id.replaceFirst("^video_", ""))));
        } else if (method.equals("POST") && generate.matches()) {
            create(exchange, generate.group(1));
        } else if (method.equals("GET") && status.matches()) {
            String id = status.group(1);
            sendJson(exchange, 200, polled(job(id.substring(id.lastIndexOf('_') + 1)), id));
        } else {
            throw new ApiException(404, null, null, null, "Resource not found");
        }
    }

    private void create(HttpExchange exchange, String api) throws IOException {
        stats.countCreateRequest();
        if (!settings.takeCredit()) {
            throw new ApiException(402, null, null, null, "Insufficient credits");
        }
        JsonNode body = readObject(exchange, new ApiException(400, null, null, null, "Invalid JSON body"));
        String prompt = text(body, "prompt");
        if (prompt == null || prompt.isBlank()) {
            throw new ApiException(400, null, null, null, "prompt is required");
        }
        String seconds = text(body, body.has("seconds") ? "seconds" : "duration");
        String size = body.has("size") ? text(body, "size") : text(body, "aspect_ratio");
        Job job = jobs.admit(new Job.Spec(api, prompt, seconds, size, null, body), "", Jobs.OverLimit.QUEUE, null,
                settings, stats).job();
        String callback = text(body, "callback_url");
        String id = api.equals(LEGACY) ? "video_" + job.id() : api + "_" + job.id();
        if (callback != null) {
            // the body a poll would answer: Pixazo documents no callback body of its own
            callbacks.whenDone(job, callback, () -> api.equals(LEGACY) ? result(job) : polled(job, id),
                    Callbacks.unsigned());
        }
        if (loseAnswer()) {
            return;
        }
        if (api.equals(LEGACY)) {
            sendJson(exchange, 200, JSON.createObjectNode().put("video_id", id).put("status", "queued"));
        } else {
            sendJson(exchange, 200, JSON.createObjectNode().put("request_id", id).put("status", "QUEUED")
                    .put("polling_url", baseUrl() + "/v2/requests/status/" + id));
        }
    }

    private Job job(String id) {
        Job job = jobs.get(id);
        if (job == null) {
            throw new ApiException(404, null, null, null, "Request not found");
        }
        stats.countStatusCall(job.id());
        return job;
    }

    /** The common shape: UPPERCASE status, {@code output.media_url[]}, {@code error} with code and message. */
    private ObjectNode polled(Job job, String requestId) {
        long now = System.currentTimeMillis();
        ObjectNode body = JSON.createObjectNode().put("request_id", requestId);
        switch (job.phase(now)) {
            case WAITING, PENDING -> body.put("status", "QUEUED");
            case RUNNING -> body.put("status", "PROCESSING");
            case SUCCEEDED -> body.put("status", "COMPLETED").putObject("output").putArray("media_url")
                    .add(fileUrl(job, ""));
            case FAILED -> {
                boolean blocked = job.outcome() == Job.Outcome.BLOCKED;
                body.put("status", "FAILED").putObject("error")
                        .put("code", blocked ? "content_moderated" : "generation_failed")
                        .put("message", blocked ? "The prompt was flagged by content moderation."
                                : "The model failed to generate the video.");
            }
            case CANCELLED -> body.put("status", "CANCELLED");
        }
        return body;
    }

    /** The older Sora shape: lowercase status, {@code video_url}, times in epoch milliseconds. */
    private ObjectNode result(Job job) {
        long now = System.currentTimeMillis();
        ObjectNode body = JSON.createObjectNode().put("id", "video_" + job.id()).put("model", job.spec().model())
                .put("prompt", job.spec().prompt()).put("created_at", job.createdAt().toEpochMilli());
        switch (job.phase(now)) {
            case WAITING, PENDING -> body.put("status", "queued");
            case RUNNING -> body.put("status", "in_progress");
            case SUCCEEDED -> body.put("status", "completed").put("video_url", fileUrl(job, ""))
                    .put("completed_at", job.endsAt());
            case FAILED -> body.put("status", "failed").put("error", job.outcome() == Job.Outcome.BLOCKED
                    ? "The prompt was flagged by content moderation." : "The model failed to generate the video.");
            case CANCELLED -> body.put("status", "cancelled");
        }
        return body;
    }

    private void file(HttpExchange exchange, String path) throws IOException {
        Job job = fileJob(path);
        long now = System.currentTimeMillis();
        if (job == null || job.phase(now) != Job.Phase.SUCCEEDED || job.expired(now, settings.contentExpiry())) {
            throw new ApiException(404, null, null, null, "BlobNotFound");
        }
        sendFile(exchange);
    }
}

package dev.sorabatch.simulator;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;

/**
 * Runway's API (runwayml/sdk-python: {@code resources/text_to_video.py}, {@code image_to_video.py}, {@code tasks.py},
 * {@code organization.py}; {@code types/task_retrieve_response.py}). {@code X-Runway-Version: 2024-11-06} is
 * required (400 without it). Over the in-flight limit a task is accepted and waits as {@code THROTTLED}, as Runway
 * does over a tier's concurrency; 429 answers only the per-minute limit. Moderation refuses late: the task fails with
 * {@code SAFETY.INPUT.TEXT}. Output URLs are signed: a download with its {@code sig} parameter altered is refused,
 * and past the content expiry the file host answers {@code 403 Request has expired}.
 */
final class RunwayFace extends Face {

    static final String VERSION = "2024-11-06";
    private static final Pattern TASK = Pattern.compile("/v1/tasks/([^/]+)");
    private static final int PROMPT_LIMIT = 1000;

    RunwayFace(Jobs jobs, SimulatorSettings settings, SimulatorStats stats) {
        super(SimulatorApi.RUNWAY, jobs, settings, stats);
    }

    @Override
    boolean authorized(Headers headers, String key) {
        return ("Bearer " + key).equals(headers.getFirst("Authorization"));
    }

    @Override
    ApiException unauthorized() {
        return new ApiException(401, null, null, "unauthorized", "Incorrect or missing API key.");
    }

    /** Runway's 4xx body: {@code {"error": "…"}} (docs.dev.runwayml.com/api-details/errors). */
    @Override
    void sendError(HttpExchange exchange, ApiException error, String echo) throws IOException {
        sendJson(exchange, error.status(), JSON.createObjectNode().put("error", error.getMessage() + echo));
    }

    @Override
    void route(HttpExchange exchange, String method, String path) throws IOException {
        if (isFile(path)) {
            file(exchange, path);
            return;
        }
        if (!VERSION.equals(exchange.getRequestHeaders().getFirst("X-Runway-Version"))) {
            throw invalid("The X-Runway-Version header is missing or not a supported version; use " + VERSION + ".");
        }
        Matcher task = TASK.matcher(path);
        switch (method + " " + (task.matches() ? "task" : path)) {
            case "POST /v1/text_to_video" -> create(exchange, false);
            case "POST /v1/image_to_video" -> create(exchange, true);
            case "GET task" -> status(exchange, task.group(1));
            case "DELETE task" -> delete(exchange, task.group(1));
            case "GET /v1/organization" -> sendJson(exchange, 200, organization());
            default -> throw new ApiException(404, null, null, "not_found", "Not found: " + method + " " + path);
        }
    }

    private static ApiException invalid(String message) {
        return new ApiException(400, null, null, "invalid", message);
    }

    private void create(HttpExchange exchange, boolean fromImage) throws IOException {
        stats.countCreateRequest();
        JsonNode body = readObject(exchange, invalid("The request body must be a JSON object."));
        String model = text(body, "model");
        if (model == null || model.isBlank()) {
            throw invalid("model: Required");
        }
        String prompt = text(body, "promptText");
        if (!fromImage && (prompt == null || prompt.isBlank())) {
            throw invalid("promptText: Required");
        }
        if (prompt != null && prompt.length() > PROMPT_LIMIT) {
            throw invalid("promptText: String must contain at most " + PROMPT_LIMIT + " character(s)");
        }
        String ratio = text(body, "ratio");
        if (ratio == null || !ratio.matches("\\d+:\\d+")) {
            throw invalid("ratio: Invalid enum value");
        }
        JsonNode duration = body.get("duration");
        if (duration != null && !duration.isIntegralNumber()) {
            throw invalid("duration: Expected number, received " + duration.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        if (fromImage) {
            JsonNode image = body.get("promptImage");
            String uri = image == null ? null : image.isArray() ? text(image.path(0), "uri") : text(body, "promptImage");
            if (uri == null || !(uri.startsWith("data:image/") || uri.startsWith("https://"))) {
                throw invalid("promptImage: Invalid input: expected an HTTPS URL or a data URI of an image");
            }
        }
        Job job = jobs.admit(new Job.Spec(model, prompt == null ? "" : prompt,
                duration == null ? null : duration.asText(), ratio.replace(':', 'x'), null, body),
                "", Jobs.OverLimit.QUEUE, null, settings, stats).job();
        if (!loseAnswer()) {
            sendJson(exchange, 200, JSON.createObjectNode().put("id", uuid(job)));
        }
    }

    /** Runway's task ids are UUIDs. */
    private static String uuid(Job job) {
        String hex = job.id();
        return hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
                + hex.substring(16, 20) + "-" + hex.substring(20);
    }

    private Job task(String id) {
        Job job = jobs.get(id.replace("-", ""));
        if (job == null) {
            throw new ApiException(404, null, null, "not_found", "Task not found.");
        }
        return job;
    }

    private void status(HttpExchange exchange, String id) throws IOException {
        stats.countStatusCall(id);
        Job job = task(id);
        long now = System.currentTimeMillis();
        ObjectNode task = JSON.createObjectNode().put("id", uuid(job))
                .put("createdAt", DateTimeFormatter.ISO_INSTANT.format(job.createdAt()));
        switch (job.phase(now)) {
            case WAITING -> task.put("status", "THROTTLED");
            case PENDING -> task.put("status", "PENDING");
            case RUNNING -> task.put("status", "RUNNING").put("progress", job.progress(now) / 100.0);
            case SUCCEEDED -> {
                task.put("status", "SUCCEEDED");
                task.putArray("output").add(fileUrl(job, "?sig=" + URLEncoder.encode(signature(job),
                        StandardCharsets.UTF_8) + "&exp=" + job.expiresAt(settings.contentExpiry()).getEpochSecond()));
            }
            case FAILED -> {
                boolean blocked = job.outcome() == Job.Outcome.BLOCKED;
                task.put("status", "FAILED")
                        .put("failure", blocked ? "The prompt did not pass content moderation."
                                : "An unexpected error occurred.")
                        .put("failureCode", blocked ? "SAFETY.INPUT.TEXT" : "INTERNAL.BAD_OUTPUT.CODE01");
            }
            case CANCELLED -> task.put("status", "CANCELLED");
        }
        sendJson(exchange, 200, task);
    }

    /** Cancels a task that has not finished; deletes one that has (tasks.py {@code delete}). */
    private void delete(HttpExchange exchange, String id) throws IOException {
        Job job = task(id);
        if (job.cancel(System.currentTimeMillis())) {
            stats.countCancel();
        } else {
            jobs.remove(job.id());
        }
        sendEmpty(exchange, 204);
    }

    private void file(HttpExchange exchange, String path) throws IOException {
        Job job = fileJob(path);
        long now = System.currentTimeMillis();
        if (job == null || job.phase(now) != Job.Phase.SUCCEEDED) {
            throw new ApiException(404, null, null, "not_found", "NoSuchKey");
        }
        Map<String, String> query = query(exchange);
        if (!signature(job).equals(query.get("sig"))) {
            throw new ApiException(403, null, null, "signature", "SignatureDoesNotMatch");
        }
        if (job.expired(now, settings.contentExpiry())) {
            throw new ApiException(403, null, null, "expired", "Request has expired");
        }
        sendFile(exchange);
    }

    /** Holds a slash and a plus, so a client that re-encodes or decodes the query breaks it. */
    private static String signature(Job job) {
        return "v1/" + job.id().substring(0, 6) + "+" + job.id().substring(6, 10);
    }

    private JsonNode organization() {
        ObjectNode org = JSON.createObjectNode().put("creditBalance", 100_000);
        org.putObject("tier").put("maxMonthlyCreditSpend", 1_000_000).putObject("models");
        org.putObject("usage").putObject("models");
        return org;
    }
}

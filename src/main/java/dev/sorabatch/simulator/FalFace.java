package dev.sorabatch.simulator;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;

import dev.sorabatch.webhook.FalSignatures;

/**
 * fal's queue API (fal-ai/fal-js {@code libs/client/src/queue.ts}, {@code types/common.ts}; fal-ai/fal
 * {@code projects/fal_client/src/fal_client/client.py}). A submit to the full model path answers with the
 * request's status, response and cancel URLs, which use only {@code owner/alias}: a client that appends the model's
 * sub-path finds nothing. Over the in-flight limit a request waits {@code IN_QUEUE} with its {@code queue_position},
 * never refused. Status answers 202 until {@code COMPLETED} (200). There is no failed status: a failed request is
 * {@code COMPLETED} with {@code error} and {@code error_type}, and a moderation refusal shows only in its result,
 * {@code 422} with {@code detail[].type = content_policy_violation}.
 * <p>
 * A submit with {@code ?fal_webhook=} gets a callback when the request ends ({@code request_id}, {@code status} OK or
 * ERROR, {@code payload}; docs.fal.ai model-endpoints/webhooks), signed with an Ed25519 key pair made at start whose
 * public key this face publishes as JWKS at {@code /.well-known/jwks.json}, as fal does at
 * {@code rest.alpha.fal.ai}.
 */
final class FalFace extends Face {

    private static final Pattern REQUEST = Pattern.compile("/([^/]+)/([^/]+)/requests/([^/]+)(/status|/cancel)?");

    static final String JWKS = "/.well-known/jwks.json";
    private static final String USER_ID = "simulator-user";

    private final Callbacks callbacks;
    private final KeyPair signing = keyPair();
    /** Signs forged callbacks: a key fal never published. */
    private final KeyPair forging = keyPair();

    FalFace(Jobs jobs, SimulatorSettings settings, SimulatorStats stats, Callbacks callbacks) {
        super(SimulatorApi.FAL, jobs, settings, stats);
        this.callbacks = callbacks;
    }

    private static KeyPair keyPair() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e); // every JVM since 15 has Ed25519
        }
    }

    @Override
    boolean open(String path) {
        return super.open(path) || path.equals(JWKS);
    }

    @Override
    boolean authorized(Headers headers, String key) {
        return ("Key " + key).equals(headers.getFirst("Authorization"));
    }

    @Override
    ApiException unauthorized() {
        return new ApiException(401, null, null, null, "Invalid authentication credentials.");
    }

    /**
     * fal's request errors, {@code {"detail": "…", "error_type": "…"}} (fal.ai/docs request-errors), and a model's
     * validation errors, {@code {"detail": [{"loc", "msg", "type"}]}} (fal-js {@code response.ts}).
     */
    @Override
    void sendError(HttpExchange exchange, ApiException error, String echo) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        if (error.status() == 422 && error.param() != null) {
            ObjectNode item = body.putArray("detail").addObject();
            item.putArray("loc").add("body").add(error.param());
            item.put("msg", error.getMessage() + echo).put("type", error.code())
                    .put("url", "https://docs.fal.ai/errors/#" + error.code());
            sendJson(exchange, 422, body);
            return;
        }
        body.put("detail", error.getMessage() + echo);
        if (error.status() >= 500) {
            body.put("error_type", error.status() == 503 ? "runner_scheduling_failure" : "internal_error");
            exchange.getResponseHeaders().set("X-Fal-Error-Type", body.get("error_type").asText());
        }
        sendJson(exchange, error.status(), body);
    }

    @Override
    void route(HttpExchange exchange, String method, String path) throws IOException {
        if (isFile(path)) {
            file(exchange, path);
            return;
        }
        if (method.equals("GET") && path.equals(JWKS)) {
            ObjectNode jwks = JSON.createObjectNode();
            jwks.putArray("keys").addObject().put("kty", "OKP").put("crv", "Ed25519")
                    .put("x", FalSignatures.x(signing.getPublic())).put("kid", "simulator");
            sendJson(exchange, 200, jwks);
            return;
        }
        Matcher request = REQUEST.matcher(path);
        if (request.matches()) {
            Job job = request(request.group(1) + "/" + request.group(2), request.group(3));
            switch (method + " " + (request.group(4) == null ? "" : request.group(4))) {
                case "GET /status" -> status(exchange, job);
                case "GET " -> result(exchange, job);
                case "PUT /cancel" -> cancel(exchange, job);
                default -> throw new ApiException(405, null, null, null, "Method Not Allowed");
            }
        } else if (method.equals("POST") && path.split("/").length >= 3) {
            submit(exchange, path.substring(1));
        } else {
            throw new ApiException(404, null, null, null, "Not Found");
        }
    }

    private void submit(HttpExchange exchange, String model) throws IOException {
        stats.countCreateRequest();
        JsonNode input = readObject(exchange, unprocessable("body", "Input should be a valid dictionary", "dict_type"));
        String prompt = text(input, "prompt");
        if (prompt == null || prompt.isBlank()) {
            throw unprocessable("prompt", "Field required", "missing");
        }
        JsonNode duration = input.get("duration");
        if (duration != null && !duration.isTextual()) {
            throw unprocessable("duration", "Input should be a valid string", "string_type");
        }
        JsonNode audio = input.get("generate_audio");
        if (audio != null && !audio.isBoolean()) {
            throw unprocessable("generate_audio", "Input should be a valid boolean", "bool_type");
        }
        Job job = jobs.admit(new Job.Spec(model, prompt, duration == null ? null : duration.asText(),
                text(input, "aspect_ratio"), null, input), "", Jobs.OverLimit.QUEUE, null, settings, stats).job();
        String webhook = query(exchange).get("fal_webhook");
        if (webhook != null) {
            callbacks.whenDone(job, webhook, () -> callback(job), this::sign);
        }
        if (!loseAnswer()) {
            ObjectNode queued = urls(job).put("status", "IN_QUEUE")
                    .put("queue_position", jobs.queuePosition(job, System.currentTimeMillis()));
            sendJson(exchange, 200, queued);
        }
    }

    /** The callback's body: the result as the result URL would answer it, or the error. */
    private ObjectNode callback(Job job) {
        ObjectNode body = JSON.createObjectNode().put("request_id", job.id()).put("gateway_request_id", job.id());
        if (job.phase(System.currentTimeMillis()) == Job.Phase.SUCCEEDED) {
            body.put("status", "OK").putObject("payload").putObject("video").put("url", fileUrl(job, ""))
                    .put("content_type", "video/mp4").put("file_name", "output.mp4");
        } else {
            body.put("status", "ERROR").put("error", job.outcome() == Job.Outcome.BLOCKED
                    ? "Invalid status code: 422" : "Invalid status code: 500").putNull("payload");
        }
        return body;
    }

    private Map<String, String> sign(byte[] body, long timestamp, boolean forged) {
        String requestId;
        try {
            requestId = JSON.readTree(body).path("request_id").asText();
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign((forged ? forging : signing).getPrivate());
            signer.update(FalSignatures.message(requestId, USER_ID, Long.toString(timestamp), body));
            return Map.of("X-Fal-Webhook-Request-Id", requestId, "X-Fal-Webhook-User-Id", USER_ID,
                    "X-Fal-Webhook-Timestamp", Long.toString(timestamp),
                    "X-Fal-Webhook-Signature", HexFormat.of().formatHex(signer.sign()));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** 422 with one validation item, as the model's input schema answers. */
    private static ApiException unprocessable(String field, String message, String type) {
        return new ApiException(422, null, field, type, message);
    }

    private ObjectNode urls(Job job) {
        String[] model = job.spec().model().split("/");
        String base = baseUrl() + "/" + model[0] + "/" + model[1] + "/requests/" + job.id();
        return JSON.createObjectNode().put("request_id", job.id()).put("response_url", base)
                .put("status_url", base + "/status").put("cancel_url", base + "/cancel");
    }

    private Job request(String app, String id) {
        Job job = jobs.get(id);
        if (job == null || !job.spec().model().startsWith(app + "/") && !job.spec().model().equals(app)) {
            throw new ApiException(404, null, null, null, "Request not found");
        }
        return job;
    }

    private void status(HttpExchange exchange, Job job) throws IOException {
        stats.countStatusCall(job.id());
        long now = System.currentTimeMillis();
        ObjectNode status = urls(job);
        switch (job.phase(now)) {
            case WAITING, PENDING -> status.put("status", "IN_QUEUE").put("queue_position", jobs.queuePosition(job, now));
            case RUNNING -> status.put("status", "IN_PROGRESS").putArray("logs");
            case SUCCEEDED, FAILED, CANCELLED -> {
                status.put("status", "COMPLETED").putArray("logs");
                status.putObject("metrics").put("inference_time", (job.endsAt() - job.createdAt().toEpochMilli()) / 1000.0);
                if (job.phase(now) == Job.Phase.CANCELLED) {
                    status.put("error", "Request was cancelled").put("error_type", "client_cancelled");
                } else if (job.outcome() == Job.Outcome.FAILS) {
                    status.put("error", "Internal server error").put("error_type", "runner_server_error");
                }
            }
        }
        sendJson(exchange, job.phase(now).finished() ? 200 : 202, status);
    }

    private void result(HttpExchange exchange, Job job) throws IOException {
        long now = System.currentTimeMillis();
        Job.Phase phase = job.phase(now);
        if (!phase.finished()) {
            throw new ApiException(400, null, null, null, "Request is still in progress");
        }
        exchange.getResponseHeaders().set("x-fal-request-id", job.id());
        if (phase == Job.Phase.CANCELLED) {
            throw new ApiException(400, null, null, null, "Request was cancelled");
        }
        if (job.outcome() == Job.Outcome.FAILS) {
            throw new ApiException(500, null, null, null, "Internal server error");
        }
        if (job.outcome() == Job.Outcome.BLOCKED) {
            throw unprocessable("prompt", "The content could not be processed because it contained material flagged"
                    + " by a content checker.", "content_policy_violation");
        }
        ObjectNode output = JSON.createObjectNode();
        output.putObject("video").put("url", fileUrl(job, "")).put("content_type", "video/mp4")
                .put("file_name", "output.mp4").put("file_size", Asset.VIDEO.body(settings.largeVideoBytes(), settings.video()).length());
        sendJson(exchange, 200, output);
    }

    /** fal's cancel answers {@code CANCELLATION_REQUESTED}, or {@code ALREADY_COMPLETED} with 400. */
    private void cancel(HttpExchange exchange, Job job) throws IOException {
        if (job.cancel(System.currentTimeMillis())) {
            stats.countCancel();
            sendJson(exchange, 202, JSON.createObjectNode().put("status", "CANCELLATION_REQUESTED"));
        } else {
            sendJson(exchange, 400, JSON.createObjectNode().put("status", "ALREADY_COMPLETED"));
        }
    }

    private void file(HttpExchange exchange, String path) throws IOException {
        Job job = fileJob(path);
        long now = System.currentTimeMillis();
        if (job == null || job.phase(now) != Job.Phase.SUCCEEDED || job.expired(now, settings.contentExpiry())) {
            throw new ApiException(404, null, null, null, "File not found");
        }
        sendFile(exchange);
    }
}

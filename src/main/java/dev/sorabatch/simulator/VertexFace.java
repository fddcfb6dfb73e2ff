package dev.sorabatch.simulator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;

import static java.net.URLDecoder.decode;

/**
 * Veo on Vertex AI (Vertex AI docs model-reference/veo-video-generation; googleapis/python-genai
 * {@code operations.py}), with the two other Google endpoints a client of it needs: an OAuth token endpoint
 * ({@code POST /token}, the {@code token_uri} of a credentials file; googleapis/google-auth-library-java
 * {@code UserCredentials.java}: a form with {@code refresh_token}, answered {@code access_token} + {@code expires_in})
 * and Cloud Storage's JSON API ({@code GET /storage/v1/b/{bucket}/o/{object}?alt=media}, {@code DELETE} likewise).
 * <p>
 * {@code :predictLongRunning} answers an operation name; {@code :fetchPredictOperation} answers {@code done: false}
 * until the job ends, then {@code response.videos[]} with the {@code gcsUri} of {@code <storageUri><operation
 * id>/sample_0.mp4} (or the video inline as {@code bytesBase64Encoded} when the create named no
 * {@code storageUri}), a moderation refusal as {@code raiMediaFilteredCount} with reasons and no video, a failure as
 * {@code error} with a google.rpc code. Over the in-flight limit a create is refused, 429 RESOURCE_EXHAUSTED. The
 * refresh token of the credentials is the key: the access token handed out for it is what the API then checks.
 */
final class VertexFace extends Face {

    private static final Pattern MODEL = Pattern.compile(
            "/v1/projects/([^/]+)/locations/([^/]+)/publishers/google/models/([^/:]+):(predictLongRunning|fetchPredictOperation)");
    private static final Pattern OBJECT = Pattern.compile("/storage/v1/b/([^/]+)/o/(.+)");
    private static final String TOKEN_PREFIX = "ya29.simulated-";

    private final Set<String> deleted = ConcurrentHashMap.newKeySet();

    VertexFace(Jobs jobs, SimulatorSettings settings, SimulatorStats stats) {
        super(SimulatorApi.VERTEX, jobs, settings, stats);
    }

    @Override
    boolean open(String path) {
        return path.equals("/token");
    }

    @Override
    boolean authorized(Headers headers, String key) {
        return ("Bearer " + TOKEN_PREFIX + key).equals(headers.getFirst("Authorization"));
    }

    @Override
    ApiException unauthorized() {
        return new ApiException(401, "UNAUTHENTICATED", null, null, "Request had invalid authentication credentials."
                + " Expected OAuth 2 access token, login cookie or other valid authentication credential.");
    }

    /** Google's envelope; the status name rides in the exception's type where the face set one. */
    @Override
    void sendError(HttpExchange exchange, ApiException error, String echo) throws IOException {
        String status = switch (error.status()) {
            case 400 -> "INVALID_ARGUMENT";
            case 401 -> "UNAUTHENTICATED";
            case 403 -> "PERMISSION_DENIED";
            case 404 -> "NOT_FOUND";
            case 429 -> "RESOURCE_EXHAUSTED";
            case 503 -> "UNAVAILABLE";
            default -> error.status() >= 500 ? "INTERNAL" : "FAILED_PRECONDITION";
        };
        ObjectNode body = JSON.createObjectNode();
        body.putObject("error").put("code", error.status()).put("message", error.getMessage() + echo).put("status", status);
        sendJson(exchange, error.status(), body);
    }

    @Override
    void route(HttpExchange exchange, String method, String path) throws IOException {
        Matcher model = MODEL.matcher(path);
        Matcher object = OBJECT.matcher(path);
        if (method.equals("POST") && path.equals("/token")) {
            token(exchange);
        } else if (method.equals("POST") && model.matches() && model.group(4).equals("predictLongRunning")) {
            create(exchange, model.group(1), model.group(2), model.group(3));
        } else if (method.equals("POST") && model.matches()) {
            fetch(exchange);
        } else if (object.matches() && (method.equals("GET") || method.equals("DELETE"))) {
            object(exchange, method, object.group(1), object.group(2));
        } else {
            throw new ApiException(404, null, null, null, "The requested URL " + path + " was not found on this server.");
        }
    }

    private void token(HttpExchange exchange) throws IOException {
        Map<String, String> form = new HashMap<>();
        try (InputStream in = exchange.getRequestBody()) {
            for (String pair : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    form.put(decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        String refresh = form.getOrDefault("refresh_token", "");
        String key = settings.requiredApiKey();
        if (refresh.isEmpty() || key != null && !key.equals(refresh)) {
            sendJson(exchange, 400, JSON.createObjectNode().put("error", "invalid_grant")
                    .put("error_description", "Token has been expired or revoked."));
            return;
        }
        sendJson(exchange, 200, JSON.createObjectNode().put("access_token", TOKEN_PREFIX + refresh)
                .put("expires_in", 3599).put("token_type", "Bearer").put("scope", "https://www.googleapis.com/auth/cloud-platform"));
    }

    private static ApiException invalid(String message) {
        return new ApiException(400, null, null, null, message);
    }

    private void create(HttpExchange exchange, String project, String location, String model) throws IOException {
        stats.countCreateRequest();
        JsonNode body = readObject(exchange, invalid("Invalid JSON payload received."));
        JsonNode instance = body.path("instances").path(0);
        String prompt = text(instance, "prompt");
        if (prompt == null || prompt.isBlank()) {
            throw invalid("instances[0].prompt is required.");
        }
        JsonNode parameters = body.path("parameters");
        String storage = parameters.path("storageUri").asText("");
        if (!storage.isEmpty() && !storage.startsWith("gs://")) {
            throw invalid("storageUri must be a Cloud Storage URI (gs://...).");
        }
        Job job = jobs.admit(new Job.Spec(model, prompt, parameters.path("durationSeconds").asText(null),
                parameters.path("aspectRatio").asText(null), null, body), "", Jobs.OverLimit.REFUSE, null, settings,
                stats).job();
        if (!loseAnswer()) {
            sendJson(exchange, 200, JSON.createObjectNode().put("name", "projects/" + project + "/locations/" + location
                    + "/publishers/google/models/" + model + "/operations/" + job.id()));
        }
    }

    private void fetch(HttpExchange exchange) throws IOException {
        JsonNode body = readObject(exchange, invalid("Invalid JSON payload received."));
        String name = body.path("operationName").asText("");
        Job job = jobs.get(name.substring(name.lastIndexOf('/') + 1));
        if (job == null || !name.contains("/operations/")) {
            throw new ApiException(404, null, null, null, "Operation " + name + " not found.");
        }
        stats.countStatusCall(job.id());
        long now = System.currentTimeMillis();
        ObjectNode operation = JSON.createObjectNode().put("name", name);
        Job.Phase phase = job.phase(now);
        if (!phase.finished()) {
            operation.put("done", false);
            sendJson(exchange, 200, operation);
            return;
        }
        operation.put("done", true);
        if (phase == Job.Phase.CANCELLED || job.outcome() == Job.Outcome.FAILS) {
            boolean cancelled = phase == Job.Phase.CANCELLED;
            operation.putObject("error").put("code", cancelled ? 1 : 13)
                    .put("message", cancelled ? "Operation was cancelled." : "Internal error encountered.");
            sendJson(exchange, 200, operation);
            return;
        }
        ObjectNode response = operation.putObject("response")
                .put("@type", "type.googleapis.com/cloud.ai.large_models.vision.GenerateVideoResponse");
        if (job.outcome() == Job.Outcome.BLOCKED) {
            response.put("raiMediaFilteredCount", 1).putArray("raiMediaFilteredReasons")
                    .add("Your current safety settings for person generation blocked 1 video. Support code: 58061214.");
            response.putArray("videos");
        } else {
            response.put("raiMediaFilteredCount", 0);
            ObjectNode video = response.putArray("videos").addObject();
            String storage = job.spec().input().path("parameters").path("storageUri").asText("");
            if (storage.isEmpty()) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                Asset.VIDEO.body(settings.largeVideoBytes(), settings.video()).writeTo(bytes);
                video.put("bytesBase64Encoded", Base64.getEncoder().encodeToString(bytes.toByteArray()));
            } else {
                video.put("gcsUri", (storage.endsWith("/") ? storage : storage + "/") + job.id() + "/sample_0.mp4");
            }
            video.put("mimeType", "video/mp4");
        }
        sendJson(exchange, 200, operation);
    }

    /** An object is the video of the job its name's folder names, in the bucket of that job's storageUri. */
    private void object(HttpExchange exchange, String method, String bucket, String name) throws IOException {
        String[] parts = name.split("/");
        Job job = parts.length >= 2 && parts[parts.length - 1].equals("sample_0.mp4") ? jobs.get(parts[parts.length - 2])
                : null;
        long now = System.currentTimeMillis();
        String uri = "gs://" + bucket + "/" + name;
        if (job == null || job.phase(now) != Job.Phase.SUCCEEDED || job.outcome() != Job.Outcome.SUCCEEDS
                || !uri.startsWith(job.spec().input().path("parameters").path("storageUri").asText("-"))
                || job.expired(now, settings.contentExpiry()) || deleted.contains(uri)) {
            throw new ApiException(404, null, null, null, "No such object: " + bucket + "/" + name);
        }
        if (method.equals("DELETE")) {
            deleted.add(uri);
            sendEmpty(exchange, 204);
        } else if ("media".equals(query(exchange).get("alt"))) {
            sendAsset(exchange, Asset.VIDEO);
        } else {
            sendJson(exchange, 200, JSON.createObjectNode().put("kind", "storage#object").put("bucket", bucket)
                    .put("name", name).put("contentType", "video/mp4")
                    .put("size", Long.toString(Asset.VIDEO.body(settings.largeVideoBytes(), settings.video()).length())));
        }
    }
}

package dev.sorabatch.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;

/**
 * One wire format of the simulator over the shared job engine: its routes, its credentials header, its error
 * shape and what it does over the in-flight limit. Faults (5xx, drops, lost responses), limits, failures, expiry and
 * the blocked word are the engine's knobs and apply alike to every face; each face answers them in its own words.
 */
abstract class Face {

    /** Plain Jackson: the non-OpenAI faces write their own field names. */
    static final ObjectMapper JSON = new ObjectMapper();

    protected final SimulatorApi api;
    protected final Jobs jobs;
    protected final SimulatorSettings settings;
    protected final SimulatorStats stats;
    private volatile String baseUrl;
    private volatile String filesUrl;

    Face(SimulatorApi api, Jobs jobs, SimulatorSettings settings, SimulatorStats stats) {
        this.api = api;
        this.jobs = jobs;
        this.settings = settings;
        this.stats = stats;
    }

    /**
     * Set when the server has its port: the API at {@code http://127.0.0.1:<port>/<face>}, its output files at
     * {@code http://localhost:<port>/<face>/files/…}, another origin, as a vendor's file host or CDN is: a client
     * must not send its credentials there.
     */
    void mountedAt(int port) {
        baseUrl = "http://127.0.0.1:" + port + api.prefix();
        filesUrl = "http://localhost:" + port + api.prefix() + "/files/";
    }

    /** Where this face's API URLs (status URLs, next pages) point. */
    String baseUrl() {
        return baseUrl;
    }

    /** The URL of a job's output file; {@code query} is its raw query (a signature), or empty. */
    String fileUrl(Job job, String query) {
        return filesUrl + job.id() + "/output.mp4" + query;
    }

    /** Whether a path is an output file, served without credentials (a signed URL or a public file host). */
    static boolean isFile(String path) {
        return path.startsWith("/files/");
    }

    /** Whether a path is served without the API key: output files, and a face's own token endpoint. */
    boolean open(String path) {
        return isFile(path);
    }

    /** Serves one request; {@code path} is below the face's prefix. */
    abstract void route(HttpExchange exchange, String method, String path) throws IOException;

    /** Whether the request presents {@code key} the way this face's clients do. */
    abstract boolean authorized(Headers headers, String key);

    /** The refusal of a request without the right key. */
    abstract ApiException unauthorized();

    /** Writes a refusal in this face's error shape; {@code echo} is appended to the message. */
    abstract void sendError(HttpExchange exchange, ApiException error, String echo) throws IOException;

    /** Whether this create's answer is lost: the job exists, and closing the exchange drops the connection. */
    boolean loseAnswer() {
        if (settings.chance(settings.lostResponseShare())) {
            stats.countLostResponse();
            return true;
        }
        return false;
    }

    /** Serves a completed job's video from the file host, counting credentials sent there. */
    void sendFile(HttpExchange exchange) throws IOException {
        if (exchange.getRequestHeaders().containsKey("Authorization")) {
            stats.countCredentialsToFileHost();
        }
        sendAsset(exchange, Asset.VIDEO);
    }

    /** The job an output file path ({@code /files/<id>/output.mp4}) names, or null. */
    Job fileJob(String path) {
        String[] parts = path.split("/");
        return parts.length == 4 && parts[3].equals("output.mp4") ? jobs.get(parts[2]) : null;
    }

    /** Serves a completed job's asset, counted as a download. */
    void sendAsset(HttpExchange exchange, Asset asset) throws IOException {
        Asset.Body body = asset.body(settings.largeVideoBytes(), settings.video());
        stats.countDownload(asset.wire());
        exchange.getResponseHeaders().set("Content-Type", asset.contentType());
        exchange.sendResponseHeaders(200, body.length());
        body.writeTo(exchange.getResponseBody());
    }

    static void sendJson(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = body instanceof JsonNode node ? JSON.writeValueAsBytes(node) : Wire.JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    static void sendEmpty(HttpExchange exchange, int status) throws IOException {
        exchange.sendResponseHeaders(status, -1);
    }

    /** The JSON object of a request body; anything else is refused with {@code invalid}. */
    static JsonNode readObject(HttpExchange exchange, ApiException invalid) throws IOException {
        JsonNode root;
        try (InputStream body = exchange.getRequestBody()) {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            root = null;
        }
        if (root == null || !root.isObject()) {
            throw invalid;
        }
        return root;
    }

    static Map<String, String> query(HttpExchange exchange) {
        Map<String, String> params = new HashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    params.putIfAbsent(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return params;
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.isTextual() ? value.textValue() : value.toString();
    }
}

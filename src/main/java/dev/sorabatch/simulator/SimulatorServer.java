package dev.sorabatch.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback HTTP server speaking the OpenAI Videos API ({@code /v1/videos}) with configurable latency, limits and
 * faults; see {@link SimulatorSettings}.
 *
 * <p>Content of a job that is not completed (queued, in progress or failed) is refused with
 * {@code 400 video_not_ready}; content of a completed job whose expiry has passed with {@code 404 video_expired};
 * an unknown job id with {@code 404 not_found}. Injected faults (5xx, dropped connections) hit every endpoint
 * before anything else happens; lost responses hit creates and remixes only, after the job exists.
 */
public final class SimulatorServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SimulatorServer.class);

    private static final Pattern ROUTE = Pattern.compile("/v1/videos(?:/([^/]+)(?:/(content|remix))?)?/?");
    private static final Set<String> SECONDS = Set.of("4", "8", "12", "16", "20");
    private static final List<String> CREATE_FIELDS = List.of("prompt", "model", "seconds", "size");
    private static final int[] SERVER_ERRORS = {500, 502, 503};
    private static final int DEFAULT_PAGE = 20;
    private static final int MAX_PAGE = 100;

    static {
        // The JDK server flushes headers and body in separate writes; under Nagle's algorithm the body then waits
        // for the client's delayed ACK, about 40 ms per small response. Read once, when the first server starts.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final int requestedPort;
    private final SimulatorSettings settings;
    private final SimulatorStats stats = new SimulatorStats();
    private final Jobs jobs = new Jobs();
    private HttpServer server;
    private ExecutorService executor;

    public SimulatorServer(int port) {
        this(port, new SimulatorSettings());
    }

    /** @param port TCP port on 127.0.0.1; 0 picks a free one */
    public SimulatorServer(int port, SimulatorSettings settings) {
        this.requestedPort = port;
        this.settings = settings;
    }

    public synchronized SimulatorServer start() throws IOException {
        if (server != null) {
            throw new IllegalStateException("Already started");
        }
        AtomicInteger threads = new AtomicInteger();
        executor = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "simulator-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), requestedPort), 1024);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
        return this;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** E.g. {@code http://127.0.0.1:8089/v1}, the value for a client's base URL. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port() + "/v1";
    }

    public SimulatorSettings settings() {
        return settings;
    }

    public SimulatorStats stats() {
        return stats;
    }

    /** Hex SHA-256 of the bytes a download of this variant returns under the current settings. */
    public String sha256(Asset asset) {
        return asset.body(settings.largeVideoBytes(), settings.video()).sha256();
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
        }
    }

    private void handle(HttpExchange exchange) {
        try (exchange) {
            try {
                serve(exchange);
            } catch (RuntimeException e) {
                LOG.error("Simulator failed on {} {}", exchange.getRequestMethod(), exchange.getRequestURI(), e);
                if (exchange.getResponseCode() == -1) {
                    send(exchange, new ApiException(500, "server_error", null, null, "Simulator failure: " + e));
                }
            }
        } catch (IOException e) {
            LOG.debug("Client went away: {}", e.toString());
        }
    }

    /** Returning without sending a response makes the exchange's close drop the connection. */
    private void serve(HttpExchange exchange) throws IOException {
        if (settings.chance(settings.serverErrorShare())) {
            stats.countServerError();
            send(exchange, new ApiException(SERVER_ERRORS[settings.pick(SERVER_ERRORS.length)], "server_error", null,
                    null, "The server had an error while processing your request. Sorry about that!"));
            return;
        }
        if (settings.chance(settings.dropShare())) {
            stats.countDrop();
            // read the request first so the client sees a clean close rather than a reset while still sending
            exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
            return;
        }
        try {
            authorize(exchange.getRequestHeaders());
            route(exchange);
        } catch (ApiException e) {
            send(exchange, e);
        }
    }

    private void authorize(Headers headers) {
        String key = settings.requiredApiKey();
        if (key != null && !("Bearer " + key).equals(headers.getFirst("Authorization"))
                && !key.equals(headers.getFirst("api-key"))) {
            throw new ApiException(401, "invalid_request_error", null, "invalid_api_key", "Incorrect API key provided.");
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        Matcher m = ROUTE.matcher(exchange.getRequestURI().getPath());
        String route = !m.matches() ? "" : m.group(1) == null ? "videos" : m.group(2) == null ? "video" : m.group(2);
        switch (method + " " + route) {
            case "POST videos" -> create(exchange);
            case "GET videos" -> list(exchange);
            case "GET video" -> status(exchange, m.group(1));
            case "DELETE video" -> delete(exchange, m.group(1));
            case "GET content" -> content(exchange, m.group(1));
            case "POST remix" -> remix(exchange, m.group(1));
            default -> throw ApiException.notFound(null,
                    "Invalid URL (" + method + " " + exchange.getRequestURI().getPath() + ")");
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
                fields.getOrDefault("size", "720x1280"), null));
    }

    private void remix(HttpExchange exchange, String sourceId) throws IOException {
        stats.countCreateRequest();
        Map<String, String> fields = readFields(exchange);
        Job source = jobs.find(sourceId);
        if (source.status(System.currentTimeMillis()) != Status.COMPLETED) {
            throw notReady(source);
        }
        Job.Spec from = source.spec();
        admit(exchange, new Job.Spec(from.model(), prompt(fields), from.seconds(), from.size(), sourceId));
    }

    private String prompt(Map<String, String> fields) {
        String prompt = fields.get("prompt");
        if (prompt == null || prompt.isBlank()) {
            throw ApiException.invalid("prompt", "missing_required_parameter", "Missing required parameter: 'prompt'.");
        }
        String blocked = settings.blockedWord();
        if (blocked != null && prompt.toLowerCase(Locale.ROOT).contains(blocked.toLowerCase(Locale.ROOT))) {
            throw ApiException.invalid("prompt", "moderation_blocked",
                    "Your request was blocked by our moderation system.");
        }
        return prompt;
    }

    private void admit(HttpExchange exchange, Job.Spec spec) throws IOException {
        Job job = jobs.admit(spec, settings, stats);
        if (settings.chance(settings.lostResponseShare())) {
            // no response: closing the exchange drops the connection after the job exists
            stats.countLostResponse();
            return;
        }
        sendJson(exchange, 200, job.view(System.currentTimeMillis(), settings.contentExpiry()));
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
        JsonNode root;
        try {
            root = Wire.JSON.readTree(body);
        } catch (JsonProcessingException e) {
            root = null;
        }
        if (root == null || !root.isObject()) {
            throw ApiException.invalid(null, "invalid_json", "We could not parse the JSON body of your request.");
        }
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
        sendJson(exchange, 200, job.view(System.currentTimeMillis(), settings.contentExpiry()));
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
        List<Wire.Video> data = page.stream().limit(limit).map(job -> job.view(now, settings.contentExpiry())).toList();
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
        if (job.status(now) != Status.COMPLETED) {
            throw notReady(job);
        }
        if (job.expired(now, settings.contentExpiry())) {
            throw ApiException.notFound("video_expired", "The content of video '" + id + "' has expired.");
        }
        Asset.Body body = asset.body(settings.largeVideoBytes(), settings.video());
        stats.countDownload(asset.wire());
        exchange.getResponseHeaders().set("Content-Type", asset.contentType());
        exchange.sendResponseHeaders(200, body.length());
        body.writeTo(exchange.getResponseBody());
    }

    private static ApiException notReady(Job job) {
        return ApiException.invalid(null, "video_not_ready", job.fails()
                ? "Video '" + job.id() + "' failed; it has no content."
                : "Video '" + job.id() + "' is not ready yet; wait until its status is 'completed'.");
    }

    private static Map<String, String> query(HttpExchange exchange) {
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

    private void send(HttpExchange exchange, ApiException error) throws IOException {
        error.headers().forEach(exchange.getResponseHeaders()::set);
        String echo = "";
        if (settings.echoKey()) {
            Headers request = exchange.getRequestHeaders();
            echo = " (credentials presented: " + (request.containsKey("Authorization")
                    ? request.getFirst("Authorization") : request.getFirst("api-key")) + ")";
        }
        sendJson(exchange, error.status(), error.envelope(echo));
    }

    private static void sendJson(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = Wire.JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}

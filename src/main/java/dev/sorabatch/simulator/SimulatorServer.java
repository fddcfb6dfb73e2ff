package dev.sorabatch.simulator;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP server speaking the wire formats of several video services over one job engine, each face under
 * its own path prefix ({@link SimulatorApi}): OpenAI's Videos API at {@code /openai/v1/videos} (and at the root,
 * {@code /v1/videos}), Runway at {@code /runway/v1/…}, fal's queue at {@code /fal/…}, Replicate at
 * {@code /replicate/v1/…}; with configurable latency, limits and faults, the same for every face
 * ({@link SimulatorSettings}).
 *
 * <p>Injected faults (5xx, dropped connections) hit every endpoint of every face before anything else happens;
 * lost responses hit creates only, after the job exists.
 */
public final class SimulatorServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SimulatorServer.class);

    private static final int[] SERVER_ERRORS = {500, 502, 503};

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
    private final Map<SimulatorApi, Face> faces = new EnumMap<>(SimulatorApi.class);
    private final Callbacks callbacks;
    private HttpServer server;
    private ExecutorService executor;

    public SimulatorServer(int port) {
        this(port, new SimulatorSettings());
    }

    /** @param port TCP port on 127.0.0.1; 0 picks a free one */
    public SimulatorServer(int port, SimulatorSettings settings) {
        this.requestedPort = port;
        this.settings = settings;
        Jobs jobs = new Jobs();
        callbacks = new Callbacks(settings, stats);
        faces.put(SimulatorApi.OPENAI, new OpenAiFace(jobs, settings, stats, callbacks));
        faces.put(SimulatorApi.RUNWAY, new RunwayFace(jobs, settings, stats));
        faces.put(SimulatorApi.FAL, new FalFace(jobs, settings, stats, callbacks));
        faces.put(SimulatorApi.REPLICATE, new ReplicateFace(jobs, settings, stats, callbacks));
        faces.put(SimulatorApi.VERTEX, new VertexFace(jobs, settings, stats));
        faces.put(SimulatorApi.BEDROCK, new BedrockFace(jobs, settings, stats));
        faces.put(SimulatorApi.PIXAZO, new PixazoFace(jobs, settings, stats, callbacks));
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
        faces.values().forEach(face -> face.mountedAt(port()));
        return this;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The OpenAI face's base URL, e.g. {@code http://127.0.0.1:8089/openai/v1}. */
    public String baseUrl() {
        return baseUrl(SimulatorApi.OPENAI);
    }

    /**
     * The value for a client's base URL of one face, as the vendor's own base URL would be given:
     * {@code …/openai/v1}, {@code …/runway}, {@code …/fal}, {@code …/replicate}.
     */
    public String baseUrl(SimulatorApi api) {
        return faces.get(api).baseUrl() + api.basePath();
    }

    /**
     * A Google credentials file for the Vertex face at {@code vertexBaseUrl}: an {@code authorized_user} (as
     * {@code gcloud auth application-default login} writes) whose {@code token_uri} is the face's token endpoint and
     * whose refresh token is {@code key}.
     */
    public static String vertexCredentials(String vertexBaseUrl, String key) {
        return Face.JSON.createObjectNode().put("type", "authorized_user").put("client_id", "simulator-client")
                .put("client_secret", "simulator-secret").put("refresh_token", key)
                .put("token_uri", vertexBaseUrl + "/token").toString();
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
            callbacks.close();
            server = null;
        }
    }

    private void handle(HttpExchange exchange) {
        String path = exchange.getRequestURI().getPath();
        Face face = faces.get(SimulatorApi.OPENAI);
        String below = path;
        for (Map.Entry<SimulatorApi, Face> entry : faces.entrySet()) {
            String prefix = entry.getKey().prefix();
            if (path.equals(prefix) || path.startsWith(prefix + "/")) {
                face = entry.getValue();
                below = path.substring(prefix.length());
            }
        }
        try (exchange) {
            try {
                serve(face, exchange, below);
            } catch (RuntimeException e) {
                LOG.error("Simulator failed on {} {}", exchange.getRequestMethod(), exchange.getRequestURI(), e);
                if (exchange.getResponseCode() == -1) {
                    send(face, exchange, new ApiException(500, "server_error", null, null, "Simulator failure: " + e));
                }
            }
        } catch (IOException e) {
            LOG.debug("Client went away: {}", e.toString());
        }
    }

    /** Returning without sending a response makes the exchange's close drop the connection. */
    private void serve(Face face, HttpExchange exchange, String path) throws IOException {
        if (settings.chance(settings.serverErrorShare())) {
            stats.countServerError();
            send(face, exchange, new ApiException(SERVER_ERRORS[settings.pick(SERVER_ERRORS.length)], "server_error",
                    null, null, "The server had an error while processing your request. Sorry about that!"));
            return;
        }
        if (settings.chance(settings.dropShare())) {
            stats.countDrop();
            // read the request first so the client sees a clean close rather than a reset while still sending
            exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
            return;
        }
        try {
            String key = settings.requiredApiKey();
            if (key != null && !face.open(path) && !face.authorized(exchange.getRequestHeaders(), key)) {
                throw face.unauthorized();
            }
            face.route(exchange, exchange.getRequestMethod(), path);
        } catch (ApiException e) {
            send(face, exchange, e);
        }
    }

    private void send(Face face, HttpExchange exchange, ApiException error) throws IOException {
        error.headers().forEach(exchange.getResponseHeaders()::set);
        String echo = "";
        if (settings.echoKey()) {
            Headers request = exchange.getRequestHeaders();
            echo = " (credentials presented: " + (request.containsKey("Authorization")
                    ? request.getFirst("Authorization") : request.getFirst("api-key")) + ")";
        }
        face.sendError(exchange, error, echo);
    }
}

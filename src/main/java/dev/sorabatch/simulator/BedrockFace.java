package dev.sorabatch.simulator;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Amazon Bedrock Runtime's async invoke, REST JSON as the AWS SDK v2 sends it (aws/aws-sdk-java-v2
 * {@code services/bedrockruntime/src/main/resources/codegen-resources/service-2.json}): {@code POST /async-invoke}
 * with {@code clientRequestToken} (the same token answers the invocation already made; with another body it is a
 * ConflictException), {@code GET /async-invoke/{invocationArn}} (the ARN one percent-encoded segment),
 * {@code GET /async-invoke} listing newest first with {@code nextToken}; ISO-8601 times; errors as
 * {@code x-amzn-ErrorType} plus {@code {"message"}}. SigV4 is not checked, only the access key id in
 * {@code Credential=}. Over the in-flight limit a create is refused with ServiceQuotaExceededException (400).
 * <p>
 * As Bedrock writes into the caller's bucket, a finished job's {@code output.mp4} is put under its {@code s3Uri}
 * ({@code <s3Uri>/<invocation id>/output.mp4}) in the S3 server at {@link SimulatorSettings#s3Endpoint}, when a
 * status call or listing first sees it done (counted as its download); past the content expiry nothing is written,
 * as if a lifecycle rule had removed it. Moderation fails the job late with Bedrock's content-filter words.
 */
final class BedrockFace extends Face {

    static final String ARN_PREFIX = "arn:aws:bedrock:us-west-2:123456789012:async-invoke/";
    private static final String PATH = "/async-invoke";
    private static final int PAGE = 100;

    private final Set<String> delivered = ConcurrentHashMap.newKeySet();
    private final Map<String, S3Client> s3 = new ConcurrentHashMap<>();

    BedrockFace(Jobs jobs, SimulatorSettings settings, SimulatorStats stats) {
        super(SimulatorApi.BEDROCK, jobs, settings, stats);
    }

    /** SigV4: {@code AWS4-HMAC-SHA256 Credential=<access key id>/<date>/<region>/bedrock/aws4_request, …}. */
    @Override
    boolean authorized(Headers headers, String key) {
        String auth = headers.getFirst("Authorization");
        return auth != null && auth.contains("Credential=" + key + "/");
    }

    @Override
    ApiException unauthorized() {
        return new ApiException(403, null, null, "UnrecognizedClientException",
                "The security token included in the request is invalid.");
    }

    @Override
    void sendError(HttpExchange exchange, ApiException error, String echo) throws IOException {
        String type = error.code() != null && error.code().endsWith("Exception") ? error.code() : switch (error.status()) {
            case 403 -> "AccessDeniedException";
            case 404 -> "ResourceNotFoundException";
            case 429 -> "ThrottlingException";
            case 503 -> "ServiceUnavailableException";
            default -> error.status() >= 500 ? "InternalServerException" : "ValidationException";
        };
        exchange.getResponseHeaders().set("x-amzn-ErrorType", type);
        sendJson(exchange, error.status(), JSON.createObjectNode().put("message", error.getMessage() + echo));
    }

    @Override
    void route(HttpExchange exchange, String method, String path) throws IOException {
        if (path.equals(PATH) && method.equals("POST")) {
            create(exchange);
        } else if (path.equals(PATH) && method.equals("GET")) {
            list(exchange);
        } else if (path.startsWith(PATH + "/") && method.equals("GET")) {
            String arn = path.substring(PATH.length() + 1);
            Job job = arn.startsWith(ARN_PREFIX) ? jobs.get(arn.substring(ARN_PREFIX.length())) : null;
            if (job == null) {
                throw new ApiException(404, null, null, "ResourceNotFoundException", "Invocation " + arn + " not found");
            }
            stats.countStatusCall(job.id());
            sendJson(exchange, 200, view(job, System.currentTimeMillis()));
        } else {
            throw new ApiException(404, null, null, "UnknownOperationException", "Unknown operation " + method + " " + path);
        }
    }

    private static ApiException invalid(String message) {
        return new ApiException(400, null, null, "ValidationException", message);
    }

    private void create(HttpExchange exchange) throws IOException {
        stats.countCreateRequest();
        JsonNode body = readObject(exchange, invalid("Malformed input request, please reformat your input and try again."));
        String model = text(body, "modelId");
        JsonNode input = body.path("modelInput");
        String s3Uri = body.path("outputDataConfig").path("s3OutputDataConfig").path("s3Uri").asText("");
        if (model == null || !input.isObject() || !s3Uri.startsWith("s3://")) {
            throw invalid("modelId, modelInput and outputDataConfig.s3OutputDataConfig.s3Uri are required");
        }
        if (settings.s3Endpoint().isEmpty()) {
            throw invalid("The simulator has no S3 server to write outputs to (sora.simulator.s3-endpoint)");
        }
        String prompt = input.has("prompt") ? text(input, "prompt")
                : input.path("textToVideoParams").path("text").asText(input.path("multiShotAutomatedParams").path("text").asText(null));
        if (prompt == null || prompt.isBlank()) {
            throw invalid("Malformed input request: required key [prompt] not found");
        }
        String seconds = input.has("duration") ? text(input, "duration")
                : input.path("videoGenerationConfig").path("durationSeconds").asText(null);
        String size = input.has("aspect_ratio") ? text(input, "aspect_ratio")
                : input.path("videoGenerationConfig").path("dimension").asText(null);
        String token = text(body, "clientRequestToken");
        Jobs.Admission admission;
        try {
            admission = jobs.admit(new Job.Spec(model, prompt, seconds, size, null, body), "", Jobs.OverLimit.REFUSE,
                    token, settings, stats);
        } catch (ApiException e) {
            if (e.status() == 429 && e.getMessage().startsWith("Too many concurrent")) {
                throw new ApiException(400, null, null, "ServiceQuotaExceededException",
                        "Your request exceeds the service quota for your account. " + e.getMessage());
            }
            throw e;
        }
        Job job = admission.job();
        if (admission.replayed() && !sameRequest(job.spec().input(), body)) {
            throw new ApiException(400, null, null, "ConflictException",
                    "The clientRequestToken was used before with different parameters");
        }
        if (!loseAnswer()) {
            sendJson(exchange, 200, JSON.createObjectNode().put("invocationArn", ARN_PREFIX + job.id()));
        }
    }

    private static boolean sameRequest(JsonNode earlier, JsonNode now) {
        return earlier.path("modelId").equals(now.path("modelId")) && earlier.path("modelInput").equals(now.path("modelInput"))
                && earlier.path("outputDataConfig").equals(now.path("outputDataConfig"));
    }

    /** Newest first; {@code nextToken} is the creation sequence to continue below. */
    private void list(HttpExchange exchange) throws IOException {
        stats.countListCall();
        Map<String, String> query = query(exchange);
        Instant after;
        try {
            after = query.containsKey("submitTimeAfter") ? Instant.parse(query.get("submitTimeAfter")) : Instant.EPOCH;
        } catch (DateTimeParseException e) {
            throw invalid("submitTimeAfter must be an ISO 8601 date-time");
        }
        int max = Math.min(PAGE, Integer.parseInt(query.getOrDefault("maxResults", "10")));
        long below = Long.parseLong(query.getOrDefault("nextToken", Long.toString(Long.MAX_VALUE)));
        boolean ascending = "Ascending".equals(query.get("sortOrder"));
        List<Job> page = jobs.page(ascending, null, Integer.MAX_VALUE).stream()
                .filter(j -> (ascending ? j.seq() > (below == Long.MAX_VALUE ? -1 : below) : j.seq() < below)
                        && j.createdAt().isAfter(after))
                .limit(max + 1L).toList();
        long now = System.currentTimeMillis();
        ObjectNode body = JSON.createObjectNode();
        body.putArray("asyncInvokeSummaries");
        page.stream().limit(max).forEach(job -> body.withArray("asyncInvokeSummaries").add(view(job, now)));
        if (page.size() > max) {
            body.put("nextToken", Long.toString(page.get(max - 1).seq()));
        }
        sendJson(exchange, 200, body);
    }

    private ObjectNode view(Job job, long now) {
        Job.Phase phase = job.phase(now);
        JsonNode request = job.spec().input();
        ObjectNode v = JSON.createObjectNode().put("invocationArn", ARN_PREFIX + job.id())
                .put("modelArn", "arn:aws:bedrock:us-west-2::foundation-model/" + job.spec().model());
        if (request.hasNonNull("clientRequestToken")) {
            v.put("clientRequestToken", request.get("clientRequestToken").asText());
        }
        v.put("status", switch (phase) {
            case SUCCEEDED -> "Completed";
            case FAILED, CANCELLED -> "Failed";
            default -> "InProgress";
        });
        if (phase == Job.Phase.FAILED) {
            v.put("failureMessage", job.outcome() == Job.Outcome.BLOCKED
                    ? "This request has been blocked by our content filters."
                    : "The model failed to generate the video: internal error.");
        }
        v.put("submitTime", DateTimeFormatter.ISO_INSTANT.format(job.createdAt()));
        Instant finished = job.finishedAt(now);
        v.put("lastModifiedTime", DateTimeFormatter.ISO_INSTANT.format(finished != null ? finished : job.createdAt()));
        if (finished != null) {
            v.put("endTime", DateTimeFormatter.ISO_INSTANT.format(finished));
        }
        v.set("outputDataConfig", request.path("outputDataConfig"));
        if (phase == Job.Phase.SUCCEEDED && !job.expired(now, settings.contentExpiry()) && delivered.add(job.id())) {
            deliver(job, request.path("outputDataConfig").path("s3OutputDataConfig").path("s3Uri").asText());
        }
        return v;
    }

    /** Puts the video at {@code <s3Uri>/<invocation id>/output.mp4}, through a temporary file for large videos. */
    private void deliver(Job job, String s3Uri) {
        URI uri = URI.create(s3Uri);
        String prefix = uri.getPath().replaceAll("^/+|/+$", "");
        String key = (prefix.isEmpty() ? "" : prefix + "/") + job.id() + "/output.mp4";
        Asset.Body body = Asset.VIDEO.body(settings.largeVideoBytes(), settings.video());
        try {
            Path file = Files.createTempFile("simulator-bedrock", ".mp4");
            try {
                try (OutputStream out = Files.newOutputStream(file)) {
                    body.writeTo(out);
                }
                s3.computeIfAbsent(settings.s3Endpoint(), BedrockFace::client).putObject(b -> b.bucket(uri.getHost())
                        .key(key).contentType("video/mp4"), RequestBody.fromFile(file));
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        stats.countDownload(Asset.VIDEO.wire());
    }

    private static S3Client client(String endpoint) {
        return S3Client.builder().endpointOverride(URI.create(endpoint)).region(Region.US_WEST_2).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("simulator", "simulator")))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED).build();
    }
}

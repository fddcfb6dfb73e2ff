package dev.sorabatch.provider.bedrock;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClientBuilder;
import software.amazon.awssdk.services.bedrockruntime.model.AsyncInvokeOutputDataConfig;
import software.amazon.awssdk.services.bedrockruntime.model.AsyncInvokeS3OutputDataConfig;
import software.amazon.awssdk.services.bedrockruntime.model.AsyncInvokeStatus;
import software.amazon.awssdk.services.bedrockruntime.model.AsyncInvokeSummary;
import software.amazon.awssdk.services.bedrockruntime.model.GetAsyncInvokeResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ListAsyncInvokesRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ListAsyncInvokesResponse;
import software.amazon.awssdk.services.bedrockruntime.model.SortAsyncInvocationBy;
import software.amazon.awssdk.services.bedrockruntime.model.SortOrder;
import software.amazon.awssdk.services.bedrockruntime.model.StartAsyncInvokeRequest;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

import dev.sorabatch.catalog.ModelCatalog;
import dev.sorabatch.catalog.ModelSpec;
import dev.sorabatch.catalog.Wire;
import dev.sorabatch.provider.BucketOutput;
import dev.sorabatch.provider.Capability;
import dev.sorabatch.provider.ContentStream;
import dev.sorabatch.provider.JobRef;
import dev.sorabatch.provider.JobStatus;
import dev.sorabatch.provider.ProviderError;
import dev.sorabatch.provider.ProviderException;
import dev.sorabatch.provider.ProviderException.Kind;
import dev.sorabatch.provider.Variant;
import dev.sorabatch.provider.VideoJob;
import dev.sorabatch.provider.VideoProvider;
import dev.sorabatch.provider.VideoRequest;
import dev.sorabatch.provider.http.Adapters;
import dev.sorabatch.provider.http.HttpFailures;

import static dev.sorabatch.provider.http.HttpCall.JSON;

/**
 * Amazon Bedrock's asynchronous invoke through the AWS SDK v2 {@link BedrockRuntimeClient} (camel-aws-bedrock has no
 * async invoke). Sources: aws/aws-sdk-java-v2 {@code services/bedrockruntime/src/main/resources/codegen-resources/
 * service-2.json} (StartAsyncInvoke {@code POST /async-invoke}, idempotent on {@code clientRequestToken};
 * GetAsyncInvoke; ListAsyncInvokes; statuses {@code InProgress | Completed | Failed} with {@code failureMessage};
 * ServiceQuotaExceededException and ConflictException are 400s); AWS docs bedrock/latest/userguide/
 * model-parameters-luma ({@code prompt}, {@code aspect_ratio}, {@code duration} "5s" | "9s", {@code resolution}) and
 * nova/latest/userguide/video-generation ({@code TEXT_VIDEO} for 6 s, {@code MULTI_SHOT_AUTOMATED} beyond; each
 * invocation writes {@code <s3Uri>/<invocation id>/output.mp4}).
 * <p>
 * The create carries the item's key as {@code clientRequestToken}, so an ambiguous create is sent again with it and
 * Bedrock answers with the invocation it already made ({@link Capability#IDEMPOTENT_CREATE}); the listing holds no
 * prompts, so there is no {@link Capability#LIST}, but {@link #findByToken} finds an invocation by that key. The
 * video lands in the user's bucket under {@code sora.bedrock.output-uri}/{@code <item key>}/; {@link #download}
 * streams it from there with the pipeline's S3 client, and {@link #copyTo} copies it server-side. SDK retries are
 * off: the workers decide.
 */
public class BedrockVideoProvider implements VideoProvider, BucketOutput {

    public static final String NAME = "bedrock";
    private static final Set<Capability> CAPABILITIES = Set.copyOf(EnumSet.of(Capability.IDEMPOTENT_CREATE,
            Capability.IMAGE_INPUT, Capability.WRITES_TO_BUCKET));
    /** Nova Reel makes one shot of 6 s from a text, longer videos as automated multi-shot (its user guide). */
    private static final int SINGLE_SHOT_SECONDS = 6;

    private final BedrockSettings settings;
    private final ModelCatalog catalog;
    private final BedrockRuntimeClient bedrock;
    private final S3Client s3;

    /**
     * @param credentials the AWS default chain in the pipeline
     * @param s3          reaches the bucket of {@code sora.bedrock.output-uri}
     */
    public BedrockVideoProvider(BedrockSettings settings, ModelCatalog catalog, AwsCredentialsProvider credentials,
                                S3Client s3) {
        this.settings = settings;
        this.catalog = catalog;
        this.s3 = s3;
        BedrockRuntimeClientBuilder builder = BedrockRuntimeClient.builder().region(Region.of(settings.region()))
                .credentialsProvider(credentials).httpClientBuilder(ApacheHttpClient.builder())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()));
        if (settings.endpointUri() != null) {
            builder.endpointOverride(settings.endpointUri());
        }
        this.bedrock = builder.build();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    @Override
    public VideoJob submit(VideoRequest request, String idempotencyKey) throws ProviderException {
        ModelSpec model = Adapters.model(catalog, NAME, request.model());
        StartAsyncInvokeRequest start = StartAsyncInvokeRequest.builder().modelId(request.model())
                .modelInput(document(modelInput(model, request)))
                .outputDataConfig(AsyncInvokeOutputDataConfig.fromS3OutputDataConfig(AsyncInvokeS3OutputDataConfig
                        .builder().s3Uri(settings.outputUri(idempotencyKey)).build()))
                .clientRequestToken(idempotencyKey).build();
        String arn = call(() -> bedrock.startAsyncInvoke(start).invocationArn());
        return new VideoJob(arn, null, JobStatus.QUEUED, 0, request.model(), request.prompt(), request.seconds(),
                request.frame().size(), Instant.now(), null, null, null, null);
    }

    /** Luma's snake_case input where the model is asked by aspect ratio, Nova Reel's task shape where by size. */
    private static ObjectNode modelInput(ModelSpec model, VideoRequest request) throws ProviderException {
        Wire.Values wire = model.wire(request.seconds(), request.frame().size());
        if (wire.size() == null) {
            if (request.image() != null) {
                throw Adapters.rejected("input_reference_unsupported", model.id() + " takes no first-frame image here");
            }
            return Adapters.veoStyleInput(JSON.createObjectNode(), model, request).put("loop", false);
        }
        ObjectNode input = JSON.createObjectNode();
        ObjectNode params;
        if (request.seconds() <= SINGLE_SHOT_SECONDS) {
            params = input.put("taskType", "TEXT_VIDEO").putObject("textToVideoParams");
            if (request.image() != null) {
                String format = request.image().contentType().replace("image/", "");
                params.putArray("images").addObject().put("format", format).putObject("source")
                        .put("bytes", Base64.getEncoder().encodeToString(request.image().bytes()));
            }
        } else if (request.image() != null) {
            throw Adapters.rejected("input_reference_unsupported", model.id() + " takes a first-frame image only for "
                    + SINGLE_SHOT_SECONDS + " s videos");
        } else {
            params = input.put("taskType", "MULTI_SHOT_AUTOMATED").putObject("multiShotAutomatedParams");
        }
        params.put("text", request.prompt());
        ObjectNode config = input.putObject("videoGenerationConfig");
        config.set("durationSeconds", wire.seconds());
        config.put("fps", 24).put("dimension", wire.size());
        return input;
    }

    @Override
    public VideoJob status(JobRef job) throws ProviderException {
        GetAsyncInvokeResponse r = invocation(job);
        return toJob(r.invocationArn(), r.status(), r.failureMessage(), r.submitTime(), r.endTime());
    }

    private GetAsyncInvokeResponse invocation(JobRef job) throws ProviderException {
        return call(() -> bedrock.getAsyncInvoke(b -> b.invocationArn(job.id())));
    }

    @Override
    public <T> T download(JobRef job, Variant variant, ContentHandler<T> handler) throws ProviderException, IOException {
        if (variant != Variant.VIDEO) {
            throw Adapters.noSuchVariant(NAME, variant);
        }
        S3Object object = output(job);
        ResponseInputStream<GetObjectResponse> body = call(() -> s3.getObject(b -> b.bucket(object.bucket())
                .key(object.key())));
        try (body) {
            GetObjectResponse head = body.response();
            return handler.handle(new ContentStream(body, head.contentType() == null ? variant.contentType()
                    : head.contentType(), head.contentLength() == null ? -1 : head.contentLength()));
        }
    }

    @Override
    public String outputUri(JobRef job) throws ProviderException {
        S3Object object = output(job);
        return "s3://" + object.bucket() + "/" + object.key();
    }

    /** CopyObject within the S3 store the pipeline's client reaches. */
    @Override
    public boolean copyTo(JobRef job, String bucket, String key) throws ProviderException {
        S3Object object = output(job);
        call(() -> s3.copyObject(b -> b.sourceBucket(object.bucket()).sourceKey(object.key())
                .destinationBucket(bucket).destinationKey(key)));
        return true;
    }

    /** Deletes the invocation's folder (output.mp4 and, from Nova Reel, manifest.json and generation-status.json). */
    @Override
    public void release(JobRef job) throws ProviderException {
        if (!settings.deleteAfterFetch()) {
            return;
        }
        S3Object object = output(job);
        String folder = object.key().substring(0, object.key().lastIndexOf('/') + 1);
        call(() -> {
            s3.listObjectsV2Paginator(b -> b.bucket(object.bucket()).prefix(folder)).contents()
                    .forEach(o -> s3.deleteObject(d -> d.bucket(object.bucket()).key(o.key())));
            return null;
        });
    }

    /** A completed invocation's {@code <s3Uri>/<invocation id>/output.mp4}. */
    private S3Object output(JobRef job) throws ProviderException {
        GetAsyncInvokeResponse r = invocation(job);
        if (r.status() != AsyncInvokeStatus.COMPLETED || r.outputDataConfig() == null
                || r.outputDataConfig().s3OutputDataConfig() == null) {
            throw new ProviderException(Kind.NOT_FOUND, 0, new ProviderError("output_missing", "invocation "
                    + job.id() + " is " + r.statusAsString() + " and has no output"), null, null);
        }
        String uri = r.outputDataConfig().s3OutputDataConfig().s3Uri().substring("s3://".length());
        int slash = uri.indexOf('/');
        String bucket = slash < 0 ? uri : uri.substring(0, slash);
        String prefix = slash < 0 ? "" : uri.substring(slash + 1).replaceAll("/+$", "");
        String id = r.invocationArn().substring(r.invocationArn().lastIndexOf('/') + 1);
        return new S3Object(bucket, (prefix.isEmpty() ? "" : prefix + "/") + id + "/output.mp4");
    }

    private record S3Object(String bucket, String key) {
    }

    /**
     * The invocation whose create carried {@code idempotencyKey}, submitted at or after {@code since}: for an item
     * whose create answer was lost, to see whether Bedrock made the job without sending the create again.
     */
    public Optional<VideoJob> findByToken(String idempotencyKey, Instant since) throws ProviderException {
        ListAsyncInvokesRequest first = ListAsyncInvokesRequest.builder().submitTimeAfter(since)
                .sortBy(SortAsyncInvocationBy.SUBMISSION_TIME).sortOrder(SortOrder.DESCENDING).maxResults(100).build();
        Optional<AsyncInvokeSummary> match = call(() -> bedrock.listAsyncInvokesPaginator(first).stream()
                .map(ListAsyncInvokesResponse::asyncInvokeSummaries).flatMap(List::stream)
                .filter(s -> idempotencyKey.equals(s.clientRequestToken())).findFirst());
        return match.map(s -> toJob(s.invocationArn(), s.status(), s.failureMessage(), s.submitTime(), s.endTime()));
    }

    /** {@code ListAsyncInvokes} for one result: authenticated, and creates nothing. */
    @Override
    public void verifyAccess() throws ProviderException {
        call(() -> bedrock.listAsyncInvokes(b -> b.maxResults(1)));
    }

    static VideoJob toJob(String arn, AsyncInvokeStatus status, String failureMessage, Instant submitted,
                          Instant ended) {
        ProviderError error = null;
        JobStatus normal;
        if (status == AsyncInvokeStatus.COMPLETED) {
            normal = JobStatus.COMPLETED;
        } else if (status == AsyncInvokeStatus.FAILED) {
            normal = JobStatus.FAILED;
            String message = failureMessage == null ? "the invocation failed" : failureMessage;
            // Bedrock's content filters answer in words only ("… blocked by our content filters")
            error = new ProviderError(message.toLowerCase(Locale.ROOT).contains("content filter")
                    ? "content_filtered" : "invocation_failed", message);
        } else {
            normal = JobStatus.IN_PROGRESS; // InProgress, or a status newer than this adapter
        }
        int progress = normal == JobStatus.COMPLETED ? 100 : normal == JobStatus.IN_PROGRESS ? -1 : 0;
        return new VideoJob(arn, null, normal, progress, null, null, 0, null, submitted,
                normal.finished() ? ended : null, null, error, null);
    }

    /** One SDK call, its failure classified as every adapter's is. */
    @FunctionalInterface
    private interface SdkCall<T> {
        T run();
    }

    private static <T> T call(SdkCall<T> call) throws ProviderException {
        try {
            return call.run();
        } catch (AwsServiceException e) {
            throw classify(e);
        } catch (SdkException e) {
            throw HttpFailures.transportFailure(e);
        }
    }

    /**
     * By HTTP status as for every adapter, with Bedrock's 400s that are not final: over the account's quota of
     * concurrent invocations (ServiceQuotaExceededException) nothing was made and a later create may pass. S3's
     * NoSuchKey is an output that is gone.
     */
    static ProviderException classify(AwsServiceException e) {
        String code = e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null ? "http_" + e.statusCode()
                : e.awsErrorDetails().errorCode();
        String message = e.awsErrorDetails() == null || e.awsErrorDetails().errorMessage() == null ? e.getMessage()
                : e.awsErrorDetails().errorMessage();
        Kind kind = code.equals("ServiceQuotaExceededException") ? Kind.RETRYABLE
                : code.equals("UnrecognizedClientException") || code.equals("InvalidSignatureException")
                ? Kind.AUTH : HttpFailures.kindOf(e.statusCode());
        Map<String, List<String>> headers = e.awsErrorDetails() == null || e.awsErrorDetails().sdkHttpResponse() == null
                ? Map.of() : e.awsErrorDetails().sdkHttpResponse().headers();
        Map<String, String> first = new LinkedHashMap<>();
        headers.forEach((name, values) -> first.put(name.toLowerCase(Locale.ROOT), values.get(0)));
        return new ProviderException(kind, e.statusCode(), new ProviderError(code, message),
                HttpFailures.retryAfter(name -> first.get(name.toLowerCase(Locale.ROOT))), e);
    }

    /** A Jackson tree as the SDK's document type, for {@code modelInput}. */
    static Document document(JsonNode node) {
        if (node.isObject()) {
            Map<String, Document> map = new LinkedHashMap<>();
            node.fields().forEachRemaining(f -> map.put(f.getKey(), document(f.getValue())));
            return Document.fromMap(map);
        }
        if (node.isArray()) {
            List<Document> list = new ArrayList<>();
            node.forEach(item -> list.add(document(item)));
            return Document.fromList(list);
        }
        if (node.isBoolean()) {
            return Document.fromBoolean(node.booleanValue());
        }
        if (node.isIntegralNumber()) {
            return Document.fromNumber(node.longValue());
        }
        if (node.isNumber()) {
            return Document.fromNumber(node.decimalValue());
        }
        return node.isNull() ? Document.fromNull() : Document.fromString(node.asText());
    }
}

package dev.sorabatch.ingest;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.aws2.sqs.Sqs2Constants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;


import dev.sorabatch.reference.ReferenceResolver;

/**
 * {@code sora.input=sqs://<queue>}: S3 event notifications name new objects, and each named prompt file becomes a
 * batch. The object is read from its bucket, streaming, and left in place (the bucket's notification owns it; a
 * move would raise another event). The camel-aws2-sqs consumer deletes a message only when this method returns,
 * which is after the rows are committed.
 *
 * <p>Rules for messages:
 * <ul>
 *   <li>The same object (bucket, key, ETag) named again makes no second batch.</li>
 *   <li>Keys without a prompt-file extension, and keys under the error prefix, are ignored.</li>
 *   <li>An unreadable prompt file gets {@code <error-prefix><key>.error.json} in its bucket; the message is done.</li>
 *   <li>A message that can never succeed (not JSON, not an S3 event, bucket or object missing or forbidden) is
 *       poison: it goes to the dead-letter queue with the reason, or, without one, is logged and deleted.</li>
 *   <li>Any other failure (store down, S3 unavailable) leaves the message for redelivery, up to
 *       {@code max-receives} deliveries; then it is poison too.</li>
 * </ul>
 */
public class EventQueueSource implements InputSource {

    private static final Logger LOG = LoggerFactory.getLogger(EventQueueSource.class);

    private final BatchIngestor ingestor;
    private final InputEvents events;
    private final S3Client s3;
    private final SqsClient sqs;
    private final String queue;
    private final String deadLetterQueue;
    private final int maxReceives;
    private final String errorPrefix;
    private volatile String deadLetterUrl;

    public EventQueueSource(BatchIngestor ingestor, InputEvents events, S3Client s3, SqsClient sqs, String queue,
                            String deadLetterQueue, int maxReceives, String errorPrefix) {
        this.ingestor = ingestor;
        this.events = events;
        this.s3 = s3;
        this.sqs = sqs;
        this.queue = queue;
        this.deadLetterQueue = deadLetterQueue == null ? "" : deadLetterQueue.trim();
        this.maxReceives = maxReceives;
        this.errorPrefix = BucketSource.folderPrefix(errorPrefix);
    }

    @Override
    public void ingest(Exchange exchange) throws Exception {
        Message message = exchange.getMessage();
        String body = message.getBody(String.class);
        if (body == null) {
            ingestor.discardAbandoned();
            events.sourceIdle();
            return;
        }
        List<S3Events.ObjectRef> objects;
        try {
            objects = S3Events.parse(body);
        } catch (IllegalArgumentException e) {
            poison(body, e.getMessage());
            return;
        }
        List<String> permanent = new ArrayList<>();
        for (S3Events.ObjectRef object : objects) {
            try {
                ingestObject(object);
            } catch (S3Exception e) {
                if (!isPermanent(e)) {
                    retryOrPoison(message, body, e);
                    return;
                }
                permanent.add("s3://" + object.bucket() + "/" + object.key() + ": " + e.awsErrorDetails().errorCode());
            } catch (InputHeldException e) {
                throw e; // another instance reads the object: the message comes back, and is no failure of its own
            } catch (Exception e) {
                retryOrPoison(message, body, e);
                return;
            }
        }
        if (!permanent.isEmpty()) {
            poison(body, "cannot read " + String.join(", ", permanent));
        }
    }

    private void ingestObject(S3Events.ObjectRef object) throws Exception {
        String key = object.key();
        String source = "s3://" + object.bucket() + "/" + key;
        if (!RequestReader.isPromptFile(key) || key.startsWith(errorPrefix)) {
            LOG.info("Ignored {}: not a prompt file (.json, .jsonl, .ndjson, .csv)", source);
            return;
        }
        if (!object.etag().isEmpty() && ingestor.seen(source + "#" + BucketSource.etag(object.etag()))) {
            LOG.info("Ignored {}: this version was committed before", source);
            return;
        }
        try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(object.bucket()).key(key))) {
            String sourceRef = source + "#" + BucketSource.etag(in.response().eTag());
            if (ingestor.seen(sourceRef)) {
                LOG.info("Ignored {}: this version was committed before", source);
                in.abort();
                return;
            }
            String name = key.substring(key.lastIndexOf('/') + 1);
            String folder = key.substring(0, key.length() - name.length());
            try {
                ingestor.ingest(name, source, sourceRef, ReferenceResolver.bucket(object.bucket(), folder), in);
            } catch (BadFileException e) {
                in.abort(); // closing would download the rest of an object that may be far too large
                LOG.warn("Set aside {}: {}", source, e.getMessage());
                BucketSource.putErrorReport(s3, object.bucket(),
                        BucketSource.freeKey(s3, object.bucket(), errorPrefix + key, ".error.json"), source,
                        e.getMessage(), "fix the file and upload it again");
                events.fileSetAside();
            }
        }
    }

    /** Rethrows, so the message is redelivered, unless it has been delivered too often already. */
    private void retryOrPoison(Message message, String body, Exception e) throws Exception {
        int receives = receiveCount(message);
        if (receives < maxReceives) {
            LOG.warn("Message will be retried (delivery {} of {}): {}", receives, maxReceives, e.toString());
            throw e;
        }
        poison(body, "failed " + receives + " deliveries, last: " + e);
    }

    private void poison(String body, String reason) {
        if (deadLetterQueue.isEmpty()) {
            LOG.warn("Discarded message from {}: {}. Message: {}", queue, reason, abbreviate(body));
            return;
        }
        if (deadLetterUrl == null) {
            deadLetterUrl = sqs.getQueueUrl(b -> b.queueName(deadLetterQueue)).queueUrl();
        }
        sqs.sendMessage(b -> b.queueUrl(deadLetterUrl).messageBody(body).messageAttributes(Map.of("sora-error",
                MessageAttributeValue.builder().dataType("String").stringValue(abbreviate(reason)).build())));
        LOG.warn("Moved message from {} to {}: {}", queue, deadLetterQueue, reason);
    }

    private static int receiveCount(Message message) {
        Map<?, ?> attributes = message.getHeader(Sqs2Constants.ATTRIBUTES, Map.class);
        Object count = attributes == null ? null : attributes.get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT);
        return count == null ? 1 : Integer.parseInt(count.toString());
    }

    /** Missing or forbidden bucket or object: no redelivery will fix it. */
    private static boolean isPermanent(S3Exception e) {
        return e.statusCode() == 404 || e.statusCode() == 403 || e.statusCode() == 400;
    }

    private static String abbreviate(String text) {
        return text.length() <= 500 ? text : text.substring(0, 500) + "...";
    }
}

package dev.sorabatch.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.sql.SQLException;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.aws2.s3.AWS2S3Constants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;


import dev.sorabatch.reference.ReferenceResolver;

/**
 * {@code sora.input=s3://<bucket>/<prefix>}: objects directly under the prefix become batches, exactly like files
 * dropped in the input folder. The camel-aws2-s3 consumer lists them (delimiter '/', so sub-folders such as
 * {@code images/} and the done and error prefixes are not taken) and hands over each body as a stream; nothing is
 * deleted by the consumer. After the rows are committed this source moves the object to the done prefix; an
 * unreadable object moves to the error prefix with {@code <name>.error.json} beside it. An object already committed
 * (same key and ETag, say after a crash before the move) is not read again, only moved.
 */
public class BucketSource implements InputSource {

    private static final Logger LOG = LoggerFactory.getLogger(BucketSource.class);

    private final BatchIngestor ingestor;
    private final InputEvents events;
    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final String donePrefix;
    private final String errorPrefix;

    /** @param prefix key prefix: empty, or ending with '/' (see {@link #folderPrefix}) */
    public BucketSource(BatchIngestor ingestor, InputEvents events, S3Client s3, String bucket, String prefix,
                        String donePrefix, String errorPrefix) {
        this.ingestor = ingestor;
        this.events = events;
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = folderPrefix(prefix);
        this.donePrefix = folderPrefix(donePrefix);
        this.errorPrefix = folderPrefix(errorPrefix);
    }

    @Override
    public void ingest(Exchange exchange) throws IOException, SQLException, InputChangedException {
        Message message = exchange.getMessage();
        InputStream body = message.getBody(InputStream.class);
        if (body == null) {
            ingestor.discardAbandoned();
            events.sourceIdle();
            return;
        }
        String key = message.getHeader(AWS2S3Constants.KEY, String.class);
        if (key.endsWith("/")) { // a folder placeholder
            abort(body);
            return;
        }
        String name = key.substring(key.lastIndexOf('/') + 1);
        String source = "s3://" + bucket + "/" + key;
        String etag = message.getHeader(AWS2S3Constants.E_TAG, String.class);
        String sourceRef = source + "#" + etag(etag);
        try {
            if (ingestor.seen(sourceRef)) {
                LOG.info("{} was committed before; moving it to {}", source, donePrefix);
                abort(body);
            } else {
                ingestor.ingest(name, source, sourceRef, ReferenceResolver.bucket(bucket, prefix), body);
            }
            move(key, etag, freeKey(donePrefix, name, ""));
        } catch (BadFileException e) {
            abort(body); // closing would download the rest of an object that may be far too large
            LOG.warn("Set aside {}: {}", source, e.getMessage());
            String target = freeKey(errorPrefix, name, ".error.json");
            putErrorReport(s3, bucket, target, source, e.getMessage(),
                    "fix the object and upload it under s3://" + bucket + "/" + prefix + " again");
            move(key, etag, target);
            events.fileSetAside();
        } finally {
            body.close();
        }
    }

    /**
     * Moves the object version that was read; a newer version uploaded meanwhile is left in place (the copy is
     * conditional on the ETag), to be read as a batch of its own.
     */
    private void move(String from, String etag, String to) {
        try {
            s3.copyObject(b -> b.sourceBucket(bucket).sourceKey(from).copySourceIfMatch(etag)
                    .destinationBucket(bucket).destinationKey(to));
        } catch (S3Exception e) {
            if (e.statusCode() == 412) {
                LOG.info("s3://{}/{} was replaced while it was read; the new version is read next", bucket, from);
                return;
            }
            throw e;
        }
        s3.deleteObject(b -> b.bucket(bucket).key(from));
    }

    private String freeKey(String prefix, String name, String companion) {
        return freeKey(s3, bucket, prefix + name, companion);
    }

    /** The key, or the first free {@code base-2.ext}… in the bucket, so an earlier object of that name is kept. */
    static String freeKey(S3Client s3, String bucket, String key, String companion) {
        return ArchiveNames.free(key, companion, candidate -> {
            try {
                s3.headObject(b -> b.bucket(bucket).key(candidate));
                return true;
            } catch (S3Exception e) {
                if (e.statusCode() == 404) {
                    return false;
                }
                throw e;
            }
        });
    }

    /** Writes {@code <key>.error.json}, the report of why the input at {@code source} cannot be read. */
    static void putErrorReport(S3Client s3, String bucket, String key, String source, String reason, String hint) {
        s3.putObject(b -> b.bucket(bucket).key(key + ".error.json").contentType("application/json"),
                RequestBody.fromBytes(BatchIngestor.errorReport(source, reason, hint)));
    }

    /** Ends a stream that will not be read to the end without draining it. */
    static void abort(InputStream body) {
        if (body instanceof ResponseInputStream<?> response) {
            response.abort();
        }
    }

    /** ETags come quoted from S3 and bare in event notifications. */
    static String etag(String etag) {
        return etag == null ? "" : etag.replace("\"", "");
    }

    static String folderPrefix(String prefix) {
        String p = prefix == null ? "" : prefix.replaceAll("^/+", "");
        return p.isEmpty() || p.endsWith("/") ? p : p + "/";
    }
}

package dev.sorabatch.output;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.aws2.s3.AWS2S3Constants;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Output to an S3 bucket ({@code sora.output=s3://bucket/prefix}): objects go to
 * {@code <prefix>/<batch>/<relative path>} through the Camel aws2-s3 producer, as one PUT below the part size and
 * as a multipart upload above it. S3 makes an object visible only once its PUT or multipart upload completes.
 *
 * <p>The producer streams a body part by part only when it knows the length up front; without one it would read
 * the whole body into memory. So a body of known length is handed over as it comes (hashed and counted on the
 * way), and one of unknown length is first spooled to a file in {@code tempDir}. Either way the heap holds at most
 * the SDK's buffers, never the object.
 *
 * <p>The {@link S3Client} is the registry bean {@value #CLIENT_BEAN}. Every
 * failure to store (no such bucket, server down, 5xx, a body shorter than declared) is an {@link IOException}, for
 * the caller's retry. The SDK retries a failed request itself only when it can re-send the body: always from a
 * spool file, and from a streamed body only if no more than 128 KiB of it had gone out.
 */
public class BucketOutputStore implements OutputStore {

    /** Registry name of the S3Client the producer uses. */
    public static final String CLIENT_BEAN = "s3Client";

    /** Written by {@link #check()} at start-up. */
    public static final String CHECK_OBJECT = ".sora-batch-write-check";

    /** S3's smallest part size (all parts but the last). */
    public static final int MIN_PART_SIZE_MB = 5;

    private final ProducerTemplate producer;
    private final String bucket;
    private final String prefix;
    private final Path tempDir;
    private final String endpointUri;

    /**
     * @param producer   sends to the aws2-s3 endpoint; its CamelContext has the {@value #CLIENT_BEAN} bean
     * @param bucket     an existing bucket (it is not created)
     * @param prefix     key prefix, e.g. {@code sora/out}; slashes at either end are dropped; empty for none
     * @param partSizeMb objects of this size or more are uploaded in parts of this size; at least 5
     * @param tempDir    where bodies of unknown length are spooled before upload (created if missing)
     */
    public BucketOutputStore(ProducerTemplate producer, String bucket, String prefix, int partSizeMb, Path tempDir) {
        if (bucket == null || bucket.isBlank() || bucket.contains("/") || bucket.contains("?")) {
            throw new IllegalArgumentException("not a bucket name: '" + bucket + "'");
        }
        if (partSizeMb < MIN_PART_SIZE_MB) {
            throw new IllegalArgumentException("part size must be at least " + MIN_PART_SIZE_MB + " MB, got " + partSizeMb);
        }
        this.producer = producer;
        this.bucket = bucket;
        this.prefix = stripSlashes(prefix == null ? "" : prefix);
        this.tempDir = tempDir;
        this.endpointUri = "aws2-s3://" + bucket + "?amazonS3Client=#" + CLIENT_BEAN
                + "&multiPartUpload=true&partSize=" + (long) partSizeMb * 1024 * 1024 + "&autoCreateBucket=false";
    }

    /** From an output setting such as {@code s3://media/sora/out} (bucket {@code media}, prefix {@code sora/out}). */
    public static BucketOutputStore forUri(ProducerTemplate producer, String uri, int partSizeMb, Path tempDir) {
        if (!uri.startsWith("s3://")) {
            throw new IllegalArgumentException("not an s3://bucket/prefix location: '" + uri + "'");
        }
        String rest = uri.substring("s3://".length());
        int slash = rest.indexOf('/');
        return slash < 0 ? new BucketOutputStore(producer, rest, "", partSizeMb, tempDir)
                : new BucketOutputStore(producer, rest.substring(0, slash), rest.substring(slash + 1), partSizeMb, tempDir);
    }

    @Override
    public StoredObject write(String batch, String relativePath, InputStream body, long length, String contentType)
            throws IOException {
        String key = key(batch, relativePath);
        if (length >= 0) {
            return streamed(key, relativePath, body, length, contentType);
        }
        return spooled(key, relativePath, body, contentType);
    }

    @Override
    public String location(String batch, String relativePath) {
        return "s3://" + bucket + "/" + key(batch, relativePath);
    }

    public String bucket() {
        return bucket;
    }

    /** The object key of a file of a batch: {@code <prefix>/<batch>/<relative path>}. */
    public String objectKey(String batch, String relativePath) {
        return key(batch, relativePath);
    }

    /**
     * Reads back an object of a batch, e.g. one copied in server-side; the caller closes it.
     *
     * @throws IOException if it cannot be read (the caller may retry)
     */
    public InputStream open(String batch, String relativePath) throws IOException {
        String key = key(batch, relativePath);
        try {
            return client().getObject(b -> b.bucket(bucket).key(key));
        } catch (SdkException e) {
            throw new IOException("could not read back " + location(key) + ": " + e.getMessage(), e);
        }
    }

    private S3Client client() {
        return producer.getCamelContext().getRegistry().lookupByNameAndType(CLIENT_BEAN, S3Client.class);
    }

    /**
     * Writes an empty object {@value #CHECK_OBJECT} under the prefix, as every later write will be made: this proves
     * the endpoint is reachable, the bucket exists and the credentials may put objects in it (a HEAD of the bucket
     * would need s3:ListBucket, which a write-only identity lacks). The object is left in place: deleting it would
     * need a permission the pipeline otherwise never uses.
     */
    @Override
    public void check() throws IOException {
        String key = prefix.isEmpty() ? CHECK_OBJECT : prefix + "/" + CHECK_OBJECT;
        // the client itself, not the producer: this runs at start-up, before Camel has started any endpoint
        try {
            client().putObject(b -> b.bucket(bucket).key(key).contentType("text/plain"), RequestBody.empty());
        } catch (SdkException e) {
            throw failed(key, e);
        }
    }

    private StoredObject streamed(String key, String relativePath, InputStream body, long length, String contentType)
            throws IOException {
        Measured in = new Measured(body, length);
        try {
            upload(key, in, length, contentType);
        } catch (IOException e) {
            if (in.failure != null) {
                // the body failed, not the store; the uploader's own complaint about it says less
                IOException failure = new IOException(in.failure.getMessage() + " (" + location(key) + ")", in.failure);
                failure.addSuppressed(e);
                throw failure;
            }
            if (in.notResent >= 0) {
                // the SDK's message is about the stream; the failed request's own error is in its debug log
                throw new IOException("could not store " + location(key) + ": a request failed after " + in.notResent
                        + " bytes of the streamed body had been sent, too many to re-send", e);
            }
            throw e;
        }
        if (in.count != length) {
            throw new IOException("uploaded " + in.count + " of the declared " + length + " bytes to " + location(key));
        }
        if (in.hasMore()) {
            // the declared length was stored; the rest would be lost. The next write of this key replaces the object.
            throw new IOException("download longer than its declared " + length + " bytes for " + location(key));
        }
        return new StoredObject(relativePath, length, Hashing.hex(in.digest));
    }

    private StoredObject spooled(String key, String relativePath, InputStream body, String contentType)
            throws IOException {
        Files.createDirectories(tempDir);
        Path spool = Files.createTempFile(tempDir, "upload", ".part");
        try {
            DigestInputStream in = new DigestInputStream(body, Hashing.sha256());
            long bytes;
            try (OutputStream out = Files.newOutputStream(spool)) {
                bytes = in.transferTo(out);
            }
            try (Rewindable file = new Rewindable(FileChannel.open(spool, StandardOpenOption.READ))) {
                upload(key, file, bytes, contentType);
            }
            return new StoredObject(relativePath, bytes, Hashing.hex(in.getMessageDigest()));
        } finally {
            Files.deleteIfExists(spool);
        }
    }

    /** {@code body} has exactly {@code length} bytes. */
    private void upload(String key, InputStream body, long length, String contentType) throws IOException {
        Exchange result;
        try {
            result = producer.send(endpointUri, exchange -> {
                Message m = exchange.getIn();
                m.setHeader(AWS2S3Constants.KEY, key);
                m.setHeader(AWS2S3Constants.CONTENT_LENGTH, length);
                if (contentType != null) {
                    m.setHeader(AWS2S3Constants.CONTENT_TYPE, contentType);
                }
                m.setBody(body);
            });
        } catch (RuntimeException e) {
            // the endpoint could not be created or started, e.g. the server is unreachable
            throw failed(key, e);
        }
        if (result.getException() != null) {
            throw failed(key, result.getException());
        }
    }

    /** Camel's wrappers say little: the message is the SDK's (status, error code, request id; never a credential). */
    private IOException failed(String key, Exception e) {
        Throwable reason = e;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SdkException) {
                reason = t;
                break;
            }
        }
        return new IOException("could not store " + location(key) + ": " + reason.getMessage(), e);
    }

    private String key(String batch, String relativePath) {
        String path = OutputPaths.inBatch(batch, relativePath);
        return prefix.isEmpty() ? path : prefix + "/" + path;
    }

    private String location(String key) {
        return "s3://" + bucket + "/" + key;
    }

    private static String stripSlashes(String s) {
        return s.replaceAll("^/+|/+$", "");
    }

    /**
     * A spool file read as a stream that can be reset to any mark, so the SDK may re-send any request of the
     * upload, a whole PUT or one part. (Given a File, the producer would read a multipart upload's parts from a
     * plain FileInputStream, and the SDK could retry none of them.)
     */
    private static final class Rewindable extends InputStream {

        private final FileChannel file;
        private long mark;

        Rewindable(FileChannel file) {
            this.file = file;
        }

        @Override
        public int read() throws IOException {
            ByteBuffer one = ByteBuffer.allocate(1);
            return file.read(one) < 1 ? -1 : one.get(0) & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            return length == 0 ? 0 : file.read(ByteBuffer.wrap(buffer, offset, length));
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = Math.max(0, Math.min(n, file.size() - file.position()));
            file.position(file.position() + skipped);
            return skipped;
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(Integer.MAX_VALUE, file.size() - file.position());
        }

        @Override
        public boolean markSupported() {
            return true;
        }

        @Override
        public synchronized void mark(int readLimit) {
            try {
                mark = file.position();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public synchronized void reset() throws IOException {
            file.position(mark);
        }

        @Override
        public void close() throws IOException {
            file.close();
        }
    }

    /**
     * Hashes and counts the body as the uploader reads it, and fails a body that ends before its declared length.
     * The SDK marks the stream before each request and resets it to retry a failed one (refused connection, 5xx):
     * up to its mark limit (128 KiB) the bytes read since the mark are kept and replayed, and hashed only once; a
     * request that failed after more than that cannot be re-sent, and the whole write fails. Closing it leaves the
     * body to its owner.
     */
    private static final class Measured extends InputStream {

        private final BufferedInputStream in;
        private final MessageDigest digest = Hashing.sha256();
        private final long declared;
        /** Offset of the next byte handed out; below {@link #count} while replaying. */
        private long position;
        /** Bytes taken from the body (and hashed) so far. */
        private long count;
        private long markPosition;
        /** Why the body could not be read to its end, if it could not. */
        private IOException failure;
        /** Set when the SDK wanted to re-send a request but too much of the body had gone. */
        private long notResent = -1;

        Measured(InputStream body, long declared) {
            this.in = new BufferedInputStream(body);
            this.declared = declared;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n;
            try {
                n = in.read(buffer, offset, length);
            } catch (IOException e) {
                throw failed(new IOException("download failed after " + count + " bytes: " + e.getMessage(), e));
            }
            if (n < 0) {
                if (position < declared) {
                    throw failed(new IOException("truncated download: got " + position + " of " + declared + " bytes"));
                }
                return -1;
            }
            long fresh = position + n - count;
            if (fresh > 0) {
                digest.update(buffer, offset + n - (int) fresh, (int) fresh);
                count += fresh;
            }
            position += n;
            return n;
        }

        /** Whether the body has bytes beyond those read so far. */
        boolean hasMore() throws IOException {
            return in.read() >= 0;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] scratch = new byte[(int) Math.min(n, 8192)];
            long skipped = 0;
            while (skipped < n) {
                int r = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
                if (r < 0) {
                    break;
                }
                skipped += r;
            }
            return skipped;
        }

        @Override
        public int available() throws IOException {
            return in.available();
        }

        @Override
        public boolean markSupported() {
            return true;
        }

        @Override
        public synchronized void mark(int readLimit) {
            in.mark(readLimit);
            markPosition = position;
        }

        @Override
        public synchronized void reset() throws IOException {
            try {
                in.reset();
            } catch (IOException e) {
                notResent = position - markPosition;
                throw e;
            }
            position = markPosition;
        }

        @Override
        public void close() {
        }

        private IOException failed(IOException e) {
            if (failure == null) {
                failure = e;
            }
            return e;
        }
    }
}

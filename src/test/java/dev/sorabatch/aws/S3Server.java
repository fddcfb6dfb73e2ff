package dev.sorabatch.aws;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobProviderMetadata;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.TransientApiMetadata;

/**
 * An S3 server in this JVM for tests: S3Proxy on a free loopback port, over an in-memory or a folder-backed blob
 * store. Requests are not authenticated (any credentials are accepted; see {@link TestAws}).
 *
 * <p>Known differences from S3: the SDK's default request checksums are refused (501 NotImplemented), hence
 * {@code WHEN_REQUIRED} in {@link AwsClients}. In the folder-backed store only: the ETag of an object uploaded in
 * parts ends with {@code -<parts>} in the CompleteMultipartUpload response but HEAD, GET and listings show the MD5
 * of the whole object; and a PUT whose body fails midway leaves a temporary file behind that breaks every later
 * listing of that bucket (500). Tests of failing uploads therefore use the in-memory store.
 *
 * <pre>{@code
 * try (S3Server s3 = S3Server.inMemory().start()) {
 *     S3Client client = TestAws.clients(s3, null).s3();
 * }
 * }</pre>
 */
public final class S3Server implements AutoCloseable {

    private final ContextBuilder blobStore;
    private final Path dir;
    private BlobStoreContext blobs;
    private S3Proxy proxy;

    /**
     * Blob stores are named by their metadata, not by id: an id makes jclouds load every registered provider,
     * including S3Proxy's Azure one, whose SDK is left out of the test class path.
     */
    private S3Server(ContextBuilder blobStore, Path dir) {
        this.blobStore = blobStore.credentials("local", "local");
        this.dir = dir;
    }

    /** Objects live on the heap (jclouds' transient store) and are gone when the server closes. */
    public static S3Server inMemory() {
        return new S3Server(ContextBuilder.newBuilder(new TransientApiMetadata()), null);
    }

    /**
     * Objects are files under {@code dir} (S3Proxy's filesystem-nio2 store: one folder per bucket, and unlike
     * jclouds' own filesystem store it lists no folder markers), kept after the server closes. {@code dir} is
     * created if missing.
     */
    public static S3Server onDisk(Path dir) {
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", dir.toAbsolutePath().toString());
        return new S3Server(ContextBuilder.newBuilder(new FilesystemNio2BlobProviderMetadata()).overrides(properties), dir);
    }

    public S3Server start() throws Exception {
        TestAws.useTestCredentials();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        blobs = blobStore.build(BlobStoreContext.class);
        proxy = S3Proxy.builder()
                .blobStore(blobs.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.NONE, null, null)
                .build();
        try {
            proxy.start(); // returns once Jetty listens
        } catch (Exception e) {
            close();
            throw e;
        }
        return this;
    }

    /** E.g. {@code http://127.0.0.1:41234}; use with path-style addressing. */
    public String endpoint() {
        if (proxy == null) {
            throw new IllegalStateException("not started");
        }
        return "http://127.0.0.1:" + proxy.getPort();
    }

    @Override
    public void close() {
        try {
            if (proxy != null) {
                proxy.stop();
            }
        } catch (Exception e) {
            throw new IllegalStateException("S3 test server did not stop", e);
        } finally {
            proxy = null;
            if (blobs != null) {
                blobs.close();
                blobs = null;
            }
        }
    }
}

package dev.sorabatch.aws;

import java.net.URI;
import java.nio.file.Path;
import java.util.Properties;

import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobProviderMetadata;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobProviderMetadata;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.providers.ProviderMetadata;

/**
 * An S3 server in this JVM for tests: S3Proxy on a free loopback port, over an in-memory or a folder-backed blob
 * store. Requests are not authenticated (any credentials are accepted; see {@link TestAws}).
 *
 * <pre>{@code
 * try (S3Server s3 = S3Server.inMemory().start()) {
 *     S3Client client = TestAws.clients(s3, null).s3();
 * }
 * }</pre>
 */
public final class S3Server implements AutoCloseable {

    private final ProviderMetadata provider;
    private final Properties overrides = new Properties();
    private BlobStoreContext blobs;
    private S3Proxy proxy;

    /**
     * The blob store is named by its metadata, not by id: an id makes jclouds load every registered provider,
     * including S3Proxy's Azure one, whose SDK is left out of the test class path.
     */
    private S3Server(ProviderMetadata provider) {
        this.provider = provider;
    }

    /** Objects live on the heap and are gone when the server closes. */
    public static S3Server inMemory() {
        return new S3Server(new TransientNio2BlobProviderMetadata());
    }

    /** Objects are files under {@code dir} (one sub-folder per bucket), kept after the server closes. */
    public static S3Server onDisk(Path dir) {
        S3Server server = new S3Server(new FilesystemNio2BlobProviderMetadata());
        server.overrides.setProperty("jclouds.filesystem.basedir", dir.toAbsolutePath().toString());
        return server;
    }

    public S3Server start() throws Exception {
        TestAws.useTestCredentials();
        blobs = ContextBuilder.newBuilder(provider).credentials("local", "local").overrides(overrides).build(BlobStoreContext.class);
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

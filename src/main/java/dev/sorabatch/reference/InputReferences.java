package dev.sorabatch.reference;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Supplier;

import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Reads the first-frame images that rows name in {@code input_reference}, once {@link ReferenceResolver} has made
 * them absolute: a local path, {@code s3://bucket/key}, an https URL or a data URL. What ingest checked is checked
 * again here, as the settings or the files may have changed since: the {@link ReferencePolicy}, a local path still
 * being its own real path (no link put in its way since), and every image being a PNG, JPEG, WebP or GIF by its
 * bytes, within the size cap. Images are small, so they are read whole.
 */
public class InputReferences {

    /** An image ready to upload; its content type is the one its bytes show. */
    public record Image(byte[] bytes, String contentType, String fileName) {
    }

    /** The reference cannot be used as it stands: retrying will not help. */
    public static final class Unusable extends IOException {
        public Unusable(String reason) {
            super(reason);
        }
    }

    private final Supplier<S3Client> s3;
    private final ReferencePolicy policy;
    private final UrlFetcher urls;

    /** @param s3 client for s3:// references, asked for only when one is read */
    public InputReferences(Supplier<S3Client> s3, ReferencePolicy policy) {
        this(s3, policy, new UrlFetcher());
    }

    InputReferences(Supplier<S3Client> s3, ReferencePolicy policy, UrlFetcher urls) {
        this.s3 = s3;
        this.policy = policy;
        this.urls = urls;
    }

    /**
     * @throws Unusable    when the image is missing, not allowed, not an image or too large
     * @throws IOException on any other failure to read it now, with a message that says so in full (for a URL:
     *                     always {@link UrlFetcher#FAILURE})
     */
    public Image read(String reference) throws IOException {
        try {
            return switch (ReferenceKind.of(reference)) {
                case DATA -> {
                    DataUrl data = DataUrl.parse(reference, policy);
                    yield new Image(data.bytes(), data.type().mediaType, "reference." + data.type().extension);
                }
                case URL -> {
                    URI uri = policy.httpsUrl(reference);
                    yield image(urls.fetch(uri, policy), uri.getPath());
                }
                case BUCKET -> readObject(S3Reference.parse(reference));
                case PATH -> readFile(reference);
            };
        } catch (IllegalArgumentException e) {
            throw new Unusable(e.getMessage());
        }
    }

    private Image readFile(String reference) throws IOException {
        Path path = Path.of(reference);
        String name = fileName(path.getFileName() == null ? "" : path.getFileName().toString());
        Path real;
        try {
            real = path.toRealPath();
        } catch (NoSuchFileException e) {
            throw new Unusable(name + " does not exist");
        }
        if (!real.equals(path)) {
            // ingest stored the real path, so a link has been put in its way since
            throw new Unusable(name + " is now reached through a link, which may lead out of the input folder");
        }
        if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
            throw new Unusable(name + " is not a regular file");
        }
        try (InputStream in = Files.newInputStream(real, LinkOption.NOFOLLOW_LINKS)) {
            return image(capped(in), name);
        } catch (Unusable e) {
            throw e;
        } catch (IOException e) {
            throw new IOException("input_reference " + name + " could not be read now: " + e, e);
        }
    }

    private Image readObject(S3Reference object) throws IOException {
        try (ResponseInputStream<GetObjectResponse> in = s3.get().getObject(b -> b.bucket(object.bucket()).key(object.key()))) {
            return image(capped(in), object.key());
        } catch (S3Exception e) {
            if (e.statusCode() == 404 || e.statusCode() == 403) {
                throw new Unusable(object + ": " + e.awsErrorDetails().errorCode());
            }
            throw new IOException("input_reference " + object + " could not be read now: " + e.getMessage(), e);
        } catch (SdkException e) {
            throw new IOException("input_reference " + object + " could not be read now: " + e.getMessage(), e);
        }
    }

    private Image image(byte[] bytes, String path) throws Unusable {
        ImageType type = ImageType.sniff(bytes)
                .orElseThrow(() -> new Unusable(fileName(path) + " is not a " + ImageType.NAMES + " image"));
        return new Image(bytes, type.mediaType, fileName(path));
    }

    private byte[] capped(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(policy.maxBytes() + 1);
        if (bytes.length > policy.maxBytes()) {
            throw new Unusable(policy.tooLarge("the image"));
        }
        return bytes;
    }

    private static String fileName(String path) {
        String name = path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
        return name.isEmpty() ? "reference" : name;
    }
}

package dev.sorabatch.ingest;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.function.Supplier;

import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Reads the first-frame images that rows name in {@code input_reference}, once {@link ReferenceResolver} has made
 * them absolute: a local path, {@code s3://bucket/key}, an https URL or a data URL. Images are small (the provider
 * takes a few MB at most), so they are read whole, with a cap.
 */
public class InputReferences {

    static final int MAX_BYTES = 32 * 1024 * 1024;

    /** An image ready to upload. */
    public record Image(byte[] bytes, String contentType, String fileName) {
    }

    private final Supplier<S3Client> s3;
    /** Built on the first https reference: its TLS set-up (the trust store) would otherwise cost every start. */
    private static final class Http {
        static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    /** @param s3 client for s3:// references, asked for only when one is read */
    public InputReferences(Supplier<S3Client> s3) {
        this.s3 = s3;
    }

    /**
     * @throws FileNotFoundException when the image does not exist (retrying will not help)
     * @throws IOException           on any other failure to read it
     */
    public Image read(String reference) throws IOException {
        String lower = reference.toLowerCase(Locale.ROOT);
        if (lower.startsWith("data:")) {
            int comma = reference.indexOf(',');
            if (comma < 0 || !reference.substring(0, comma).endsWith(";base64")) {
                throw new FileNotFoundException("data URL must be base64: data:image/png;base64,...");
            }
            String type = reference.substring(5, comma).split(";")[0];
            return new Image(Base64.getDecoder().decode(reference.substring(comma + 1)), type,
                    "reference." + type.substring(type.indexOf('/') + 1));
        }
        if (lower.startsWith("s3://")) {
            return readObject(reference);
        }
        if (lower.startsWith("https://") || lower.startsWith("http://")) {
            return readUrl(reference);
        }
        Path file = Path.of(reference);
        try (InputStream in = Files.newInputStream(file)) {
            return new Image(capped(in, reference), typeOf(reference, null), file.getFileName().toString());
        } catch (NoSuchFileException e) {
            throw new FileNotFoundException(reference + " does not exist");
        }
    }

    private Image readObject(String reference) throws IOException {
        String path = reference.substring("s3://".length());
        int slash = path.indexOf('/');
        if (slash <= 0) {
            throw new FileNotFoundException(reference + " is not s3://bucket/key");
        }
        String bucket = path.substring(0, slash);
        String key = path.substring(slash + 1);
        try (ResponseInputStream<GetObjectResponse> in = s3.get().getObject(b -> b.bucket(bucket).key(key))) {
            return new Image(capped(in, reference), typeOf(key, in.response().contentType()), fileName(key));
        } catch (S3Exception e) {
            if (e.statusCode() == 404 || e.statusCode() == 403) {
                throw new FileNotFoundException(reference + ": " + e.awsErrorDetails().errorCode());
            }
            throw new IOException(reference + ": " + e.getMessage(), e);
        }
    }

    private Image readUrl(String reference) throws IOException {
        URI uri = URI.create(reference);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).GET().build();
        try {
            HttpResponse<InputStream> response = Http.CLIENT.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                if (response.statusCode() == 404 || response.statusCode() == 410 || response.statusCode() == 403) {
                    throw new FileNotFoundException(reference + ": HTTP " + response.statusCode());
                }
                if (response.statusCode() != 200) {
                    throw new IOException(reference + ": HTTP " + response.statusCode());
                }
                String type = response.headers().firstValue("content-type").orElse(null);
                return new Image(capped(in, reference), typeOf(uri.getPath(), type), fileName(uri.getPath()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading " + reference, e);
        }
    }

    private static byte[] capped(InputStream in, String reference) throws IOException {
        byte[] bytes = in.readNBytes(MAX_BYTES + 1);
        if (bytes.length > MAX_BYTES) {
            throw new FileNotFoundException(reference + " is larger than " + MAX_BYTES / (1024 * 1024) + " MB");
        }
        return bytes;
    }

    private static String fileName(String path) {
        String name = path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
        return name.isEmpty() ? "reference" : name;
    }

    static String typeOf(String name, String declared) {
        if (declared != null && declared.startsWith("image/")) {
            return declared.split(";")[0].trim();
        }
        String lower = name == null ? "" : name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".png")) {
            return "image/png";
        }
        if (lower.endsWith(".webp")) {
            return "image/webp";
        }
        return lower.endsWith(".jpg") || lower.endsWith(".jpeg") ? "image/jpeg" : "application/octet-stream";
    }
}

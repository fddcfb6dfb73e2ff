package dev.sorabatch.manifest;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.function.Function;

/**
 * Turns a path inside a batch folder (as the manifest gives it: {@code videos/x.mp4}) into a link for the gallery.
 * The only source of links on the page: every path is checked to stay inside the batch folder before it becomes a
 * link, whatever the manifest says.
 * <ul>
 * <li>{@link #relative()}: a link relative to {@code index.html}, which works alike for a folder (opened from disk
 * or served) and a public bucket prefix, since the page sits beside {@code videos/} and {@code thumbnails/};
 * <li>{@link #presigned}: for a private bucket, a pre-signed {@code https://} URL made by the caller's signer,
 * valid until a stated time that the page shows.
 * </ul>
 */
public final class GalleryLinks {

    private final Function<String, String> maker;
    private final String contentSource;
    private final Instant expiresAt;

    private GalleryLinks(Function<String, String> maker, String contentSource, Instant expiresAt) {
        this.maker = maker;
        this.contentSource = contentSource;
        this.expiresAt = expiresAt;
    }

    /** Links relative to the page: {@code ./videos/x.mp4}, each path segment percent-encoded. */
    public static GalleryLinks relative() {
        return new GalleryLinks(GalleryLinks::encoded, "'self'", null);
    }

    /**
     * Links made by a signer, e.g. the AWS SDK's {@code S3Presigner} for {@code <prefix>/<batch>/<path>}.
     *
     * @param signer    gets a checked path inside the batch folder; must return an absolute {@code https://} URL
     * @param expiresAt when the signer's URLs stop working, shown on the page
     */
    public static GalleryLinks presigned(Function<String, URI> signer, Instant expiresAt) {
        Objects.requireNonNull(signer, "signer");
        Objects.requireNonNull(expiresAt, "expiresAt");
        return new GalleryLinks(path -> https(signer.apply(path), path), "https:", expiresAt);
    }

    /**
     * The link to a file of the batch.
     *
     * @param relativePath {@code /}-separated, inside the batch folder
     * @throws IllegalArgumentException if the path would leave the batch folder or the signer's URL is not https
     */
    public String href(String relativePath) {
        return maker.apply(inBatch(relativePath));
    }

    /** When pre-signed links stop working; empty for relative links, which do not expire. */
    public Optional<Instant> expiresAt() {
        return Optional.ofNullable(expiresAt);
    }

    /** The Content-Security-Policy source that admits these links for images and media. */
    String contentSource() {
        return contentSource;
    }

    /**
     * The path as given, if it names a file inside the batch folder: plain segments, none empty, {@code .} or
     * {@code ..}, no backslash or control character (a colon could read as a scheme, so links start with {@code ./}).
     */
    private static String inBatch(String path) {
        if (path == null || path.isEmpty()) {
            throw new IllegalArgumentException("no path given");
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")
                    || segment.chars().anyMatch(c -> c == '\\' || Character.isISOControl(c))) {
                throw new IllegalArgumentException("path leaves the batch folder: " + path);
            }
        }
        return path;
    }

    private static String encoded(String path) {
        StringJoiner href = new StringJoiner("/", "./", "");
        for (String segment : path.split("/")) {
            href.add(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return href.toString();
    }

    private static String https(URI url, String path) {
        if (url == null || !url.isAbsolute() || !"https".equalsIgnoreCase(url.getScheme()) || url.getHost() == null) {
            throw new IllegalArgumentException("the signer gave no https URL for " + path);
        }
        return url.toASCIIString();
    }
}

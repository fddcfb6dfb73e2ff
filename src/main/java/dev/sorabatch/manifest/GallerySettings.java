package dev.sorabatch.manifest;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;

import dev.sorabatch.settings.SettingException;
import dev.sorabatch.settings.Settings;

/**
 * {@code sora.gallery.link-expiry}: empty for relative links in the review gallery (a folder, or a bucket that
 * serves its objects), or how long the pre-signed links of a private bucket's gallery work (at most 7 days, the
 * longest an S3 signature lasts).
 *
 * @param linkExpiry null for relative links
 */
public record GallerySettings(Duration linkExpiry) {

    static final String KEY = "sora.gallery.link-expiry";
    private static final long MAX_MILLIS = Duration.ofDays(7).toMillis();

    /** Signs a GET link to a file of a batch, valid for the given time. */
    public interface Signer {
        URI sign(String batch, String relativePath, Duration validFor);
    }

    public static GallerySettings from(Settings s) {
        if (s.text(KEY, "").isBlank()) {
            return new GallerySettings(null);
        }
        Duration expiry = s.duration(KEY, 1000);
        if (expiry.toMillis() > MAX_MILLIS) {
            throw new SettingException(KEY, "must be at most 7d (the longest an S3 signature lasts), got " + s.text(KEY));
        }
        return new GallerySettings(expiry);
    }

    /**
     * How each batch's gallery links to its files.
     *
     * @param signer signs links to the output bucket; null when the output is a folder
     * @throws SettingException when pre-signed links are asked for an output that is not a bucket
     */
    public Function<String, GalleryLinks> links(Signer signer, Clock clock) {
        if (linkExpiry == null) {
            return batch -> GalleryLinks.relative();
        }
        if (signer == null) {
            throw new SettingException(KEY, "pre-signed links need bucket output (sora.output=s3://...); leave it "
                    + "empty for a folder");
        }
        return batch -> GalleryLinks.presigned(path -> signer.sign(batch, path, linkExpiry),
                clock.instant().plus(linkExpiry));
    }
}

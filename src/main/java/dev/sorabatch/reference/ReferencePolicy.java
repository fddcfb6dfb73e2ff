package dev.sorabatch.reference;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * How far an {@code input_reference} may reach beyond the input store, as the operator set it: the https hosts
 * ({@code sora.input-reference.allow-urls}) and other buckets ({@code sora.input-reference.allow-buckets}) it may
 * name, and the largest image read ({@code sora.input-reference.max-mb}). Checked at ingest, where a row that
 * breaks it is rejected, and again when the image is read.
 *
 * @param allowedHosts   host names an https reference may name, lower case; empty = no URLs
 * @param allowedBuckets buckets an s3 reference may name besides the input bucket
 * @param maxBytes       largest image, in bytes
 */
public record ReferencePolicy(Set<String> allowedHosts, Set<String> allowedBuckets, int maxBytes) {

    /** Input store and data: URLs only, images up to 32 MB. */
    public static final ReferencePolicy DEFAULT = new ReferencePolicy(Set.of(), Set.of(), 32 * 1024 * 1024);

    private static final Pattern HOST = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*"
            + "|\\[[0-9a-f:.]+]");

    public ReferencePolicy {
        allowedHosts = allowedHosts.stream().map(ReferencePolicy::host).collect(Collectors.toUnmodifiableSet());
        for (String host : allowedHosts) {
            if (!HOST.matcher(host).matches()) {
                throw new IllegalArgumentException("must list host names such as images.example.com, got '" + host + "'");
            }
        }
        allowedBuckets = Set.copyOf(allowedBuckets);
        if (maxBytes < 1) {
            throw new IllegalArgumentException("the image size cap must be at least 1 byte");
        }
    }

    /**
     * The https URL a reference names, if this policy lets it be fetched: https only (never http, in any case), no
     * user name or password, a host listed in {@link #allowedHosts}. Where the host leads is checked when it is
     * fetched ({@link PublicAddresses}).
     *
     * @throws IllegalArgumentException with the reason
     */
    URI httpsUrl(String reference) {
        URI uri;
        try {
            uri = new URI(reference);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("is not a valid URL: a space or other special character must be "
                    + "percent-encoded (" + e.getReason() + ")");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("http")) {
            throw new IllegalArgumentException("must not use http:// (only https:// URLs are fetched)");
        }
        if (!scheme.equals("https")) {
            throw new IllegalArgumentException("must be an https:// URL");
        }
        if (uri.getRawUserInfo() != null || uri.getRawAuthority() != null && uri.getRawAuthority().contains("@")) {
            throw new IllegalArgumentException("must not carry a user name or password in the URL");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("must name a host (an internationalised name must be written in its "
                    + "xn-- form)");
        }
        String host = host(uri.getHost());
        if (allowedHosts.isEmpty()) {
            throw new IllegalArgumentException("must not be a URL: https:// references are off (list the hosts that "
                    + "may be fetched in sora.input-reference.allow-urls)");
        }
        if (!allowedHosts.contains(host)) {
            throw new IllegalArgumentException("names host " + host + ", which is not in sora.input-reference.allow-urls");
        }
        return uri;
    }

    /** Whether an s3 reference into {@code bucket} is allowed, with {@code inputBucket} the store's own (or null). */
    boolean allowsBucket(String bucket, String inputBucket) {
        return bucket.equals(inputBucket) || allowedBuckets.contains(bucket);
    }

    private String sizeCap() {
        return maxBytes % (1024 * 1024) == 0 ? maxBytes / (1024 * 1024) + " MB" : maxBytes + " bytes";
    }

    /** The reason an image over the cap is refused, after the name of what was read. */
    String tooLarge(String what) {
        return what + " is larger than " + sizeCap() + " (sora.input-reference.max-mb)";
    }

    private static String host(String host) {
        String lower = host.strip().toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }
}

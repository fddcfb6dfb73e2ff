package dev.sorabatch.reference;

import java.util.Base64;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An image carried in the reference itself (RFC 2397): {@code data:image/png;base64,<data>}. Only base64 data of
 * an image type is taken, and the decoded bytes must be such an image and within the size cap.
 *
 * @param bytes the decoded image
 * @param type  the format its bytes show
 */
record DataUrl(byte[] bytes, ImageType type) {

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    static boolean is(String reference) {
        return reference.regionMatches(true, 0, "data:", 0, "data:".length());
    }

    /** @throws IllegalArgumentException with the reason the reference cannot be used */
    static DataUrl parse(String reference, ReferencePolicy policy) {
        int comma = reference.indexOf(',');
        String[] header = reference.substring("data:".length(), comma < 0 ? reference.length() : comma).split(";", -1);
        if (comma < 0 || header.length < 2 || !header[header.length - 1].strip().equalsIgnoreCase("base64")) {
            throw new IllegalArgumentException("data: URL must be base64, e.g. data:image/png;base64,iVBOR...");
        }
        String declared = header[0].strip().toLowerCase(Locale.ROOT);
        if (ImageType.ofMediaType(declared).isEmpty()) {
            throw new IllegalArgumentException("data: URL must name an image type: image/png, image/jpeg, image/webp or "
                    + "image/gif (got '" + ReferenceResolver.shown(declared) + "')");
        }
        // line breaks and spaces are common in base64 written by tools; anything else outside the alphabet is an error
        String data = WHITESPACE.matcher(reference.substring(comma + 1)).replaceAll("");
        if ((long) data.length() / 4 * 3 > policy.maxBytes() + 2L) {
            throw new IllegalArgumentException(policy.tooLarge("data: URL image")); // told before decoding it
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(data);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("data: URL is not valid base64 (" + e.getMessage() + ")");
        }
        if (bytes.length > policy.maxBytes()) {
            throw new IllegalArgumentException(policy.tooLarge("data: URL image"));
        }
        ImageType type = ImageType.sniff(bytes).orElseThrow(() ->
                new IllegalArgumentException("data: URL does not hold a " + ImageType.NAMES + " image"));
        return new DataUrl(bytes, type);
    }
}

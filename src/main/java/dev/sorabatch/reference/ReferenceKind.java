package dev.sorabatch.reference;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What an {@code input_reference} names, told by its scheme; a reference without one is a path in the input. */
enum ReferenceKind {
    DATA, URL, BUCKET, PATH;

    // at least two letters: "C:" starts a Windows path, which is refused as not relative
    private static final Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]{1,30}):");

    /** @throws IllegalArgumentException for a scheme that is never read */
    static ReferenceKind of(String reference) {
        Matcher m = SCHEME.matcher(reference);
        if (!m.find()) {
            return PATH;
        }
        return switch (m.group(1).toLowerCase(Locale.ROOT)) {
            case "data" -> DATA;
            case "https", "http" -> URL; // http is refused by the policy, with its own reason
            case "s3" -> BUCKET;
            default -> throw new IllegalArgumentException("uses " + m.group(1) + ":, which is not read (use a path in the "
                    + "input, an s3://, https:// or data: URL)");
        };
    }
}

package dev.sorabatch.ingest;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Turns a row's {@code input_reference} into an absolute location at ingest: a path relative to the input store
 * (the input folder, or the input bucket prefix / the event object's folder) becomes a path or {@code s3://} URL
 * there; data: and https: URLs stay as given. A reference that leaves its store is refused, so a prompt file
 * cannot send an arbitrary local file to the provider.
 */
@FunctionalInterface
public interface ReferenceResolver {

    /** @throws IllegalArgumentException with the reason, which rejects the row */
    String resolve(String reference);

    /** Relative paths are not allowed: for callers without an input store. */
    ReferenceResolver NONE = reference -> {
        if (isUrl(reference)) {
            return reference;
        }
        throw new IllegalArgumentException("must be a data: or https: URL here (got '" + reference + "')");
    };

    static ReferenceResolver folder(Path folder) {
        Path root = folder.toAbsolutePath().normalize();
        return reference -> {
            if (isUrl(reference)) {
                return reference;
            }
            Path target = root.resolve(relative(reference)).normalize();
            if (!target.startsWith(root)) {
                throw new IllegalArgumentException("must stay inside the input folder (got '" + reference + "')");
            }
            return target.toString();
        };
    }

    /** @param prefix key prefix the reference is relative to: empty, or ending with '/' */
    static ReferenceResolver bucket(String bucket, String prefix) {
        return reference -> {
            if (isUrl(reference) || reference.startsWith("s3://")) {
                return reference;
            }
            return "s3://" + bucket + "/" + prefix + relative(reference);
        };
    }

    private static String relative(String reference) {
        String path = reference.replace('\\', '/');
        if (path.startsWith("/") || path.matches("^[A-Za-z]:/.*") || ("/" + path + "/").contains("/../")) {
            throw new IllegalArgumentException("must be a path relative to the input store, without '..' (got '"
                    + reference + "')");
        }
        return path;
    }

    private static boolean isUrl(String reference) {
        String lower = reference.toLowerCase(Locale.ROOT);
        return lower.startsWith("data:") || lower.startsWith("https://") || lower.startsWith("http://");
    }
}

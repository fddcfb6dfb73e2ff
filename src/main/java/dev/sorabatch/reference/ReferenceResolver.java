package dev.sorabatch.reference;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Turns a row's {@code input_reference} into an absolute location at ingest, or refuses it with the reason (which
 * rejects the row). A path is relative to the input store: in a folder it must exist there as a regular file
 * within the size cap, and its real path (links followed) must stay inside the folder, so a link cannot hand out a
 * file from elsewhere; in a bucket it becomes {@code s3://} under the prefix. An {@code s3://} reference must name
 * the input bucket or a bucket in {@link ReferencePolicy#allowedBuckets()} (with folder input, only the latter); an
 * {@code https://} URL must pass {@link ReferencePolicy#httpsUrl}; a {@code data:} URL must hold an image within
 * the cap. Nothing else is accepted: no {@code http://}, no other scheme.
 */
@FunctionalInterface
public interface ReferenceResolver {

    /** @throws IllegalArgumentException with the reason, which rejects the row */
    String resolve(String reference, ReferencePolicy policy);

    /** No input store: for callers without one, only URLs (and listed buckets). */
    ReferenceResolver NONE = (reference, policy) -> {
        if (ReferenceKind.of(reference) == ReferenceKind.PATH) {
            throw new IllegalArgumentException("must be a data: or https: URL here (got '" + shown(reference) + "')");
        }
        return absolute(reference, policy, null);
    };

    static ReferenceResolver folder(Path folder) {
        Path given = folder.toAbsolutePath().normalize();
        return (reference, policy) -> {
            if (ReferenceKind.of(reference) != ReferenceKind.PATH) {
                return absolute(reference, policy, null);
            }
            String relative = relative(reference);
            try {
                Path root = given.toRealPath();
                Path real = root.resolve(relative).toRealPath();
                if (!real.startsWith(root)) {
                    throw new IllegalArgumentException("must stay inside the input folder ('" + shown(reference)
                            + "' leads out of it through a link)");
                }
                if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
                    throw new IllegalArgumentException("'" + shown(reference) + "' is not a regular file");
                }
                if (Files.size(real) > policy.maxBytes()) {
                    throw new IllegalArgumentException(policy.tooLarge("'" + shown(reference) + "'"));
                }
                return real.toString();
            } catch (NoSuchFileException e) {
                throw new IllegalArgumentException("'" + shown(reference) + "' does not exist in the input folder");
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException("'" + shown(reference) + "' is not a valid path");
            } catch (IOException e) {
                throw new IllegalArgumentException("'" + shown(reference) + "' cannot be read (" + e.getMessage() + ")");
            }
        };
    }

    /** @param prefix key prefix the reference is relative to: empty, or ending with '/' */
    static ReferenceResolver bucket(String bucket, String prefix) {
        return (reference, policy) -> ReferenceKind.of(reference) == ReferenceKind.PATH
                ? "s3://" + bucket + "/" + prefix + relative(reference)
                : absolute(reference, policy, bucket);
    }

    /** A reference with a scheme, checked; {@code inputBucket} is the store's own bucket, or null. */
    private static String absolute(String reference, ReferencePolicy policy, String inputBucket) {
        return switch (ReferenceKind.of(reference)) {
            case DATA -> {
                DataUrl.parse(reference, policy);
                yield reference;
            }
            case URL -> policy.httpsUrl(reference).toString();
            case BUCKET -> {
                S3Reference object = S3Reference.parse(reference);
                if (!policy.allowsBucket(object.bucket(), inputBucket)) {
                    throw new IllegalArgumentException(inputBucket == null
                            ? "names bucket " + object.bucket() + ", which is not in sora.input-reference.allow-buckets"
                            : "names bucket " + object.bucket() + ", which is neither the input bucket nor in "
                            + "sora.input-reference.allow-buckets");
                }
                yield object.toString();
            }
            case PATH -> throw new IllegalStateException("a path is resolved in its store");
        };
    }

    /** The reference as a relative path with '/' separators and without '.' segments. */
    private static String relative(String reference) {
        String path = reference.replace('\\', '/');
        if (path.startsWith("/") || path.matches("^[A-Za-z]:.*") || ("/" + path + "/").contains("/../")) {
            throw new IllegalArgumentException("must be a path relative to the input store, without '..' (got '"
                    + shown(reference) + "')");
        }
        return Arrays.stream(path.split("/", -1)).filter(segment -> !segment.equals(".")).collect(Collectors.joining("/"));
    }

    /** A reference as quoted in a reason: cut short, since a data: URL may be megabytes long. */
    static String shown(String reference) {
        return reference.length() <= 80 ? reference : reference.substring(0, 77) + "...";
    }
}

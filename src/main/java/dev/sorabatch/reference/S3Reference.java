package dev.sorabatch.reference;

/**
 * An {@code s3://bucket/key} reference. Keys with {@code .} or {@code ..} segments are refused: S3 keys are flat,
 * but a path-style endpoint or proxy may normalise {@code /bucket/../other} into another bucket.
 */
record S3Reference(String bucket, String key) {

    /** @throws IllegalArgumentException unless the reference is s3://bucket/key */
    static S3Reference parse(String reference) {
        String path = reference.regionMatches(true, 0, "s3://", 0, "s3://".length())
                ? reference.substring("s3://".length()) : "";
        int slash = path.indexOf('/');
        if (slash <= 0 || slash == path.length() - 1) {
            throw new IllegalArgumentException("must be s3://<bucket>/<key> (got '" + ReferenceResolver.shown(reference) + "')");
        }
        String key = path.substring(slash + 1);
        if (("/" + key + "/").contains("/../") || ("/" + key + "/").contains("/./")) {
            throw new IllegalArgumentException("must not have '.' or '..' in its key (got '" + ReferenceResolver.shown(reference) + "')");
        }
        return new S3Reference(path.substring(0, slash), key);
    }

    @Override
    public String toString() {
        return "s3://" + bucket + "/" + key;
    }
}

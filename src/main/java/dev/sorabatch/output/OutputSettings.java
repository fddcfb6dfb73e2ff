package dev.sorabatch.output;

import java.nio.file.Path;

import org.apache.camel.ProducerTemplate;

import dev.sorabatch.settings.SettingException;
import dev.sorabatch.settings.Settings;

/**
 * {@code sora.output} ({@code file:<folder>} or {@code s3://<bucket>/<prefix>}), the part size of bucket uploads,
 * and the working folder ({@code sora.data-dir}) where bodies of unknown length are spooled.
 */
public record OutputSettings(String uri, int partSizeMb, Path tempDir) {

    public static OutputSettings from(Settings s) {
        String uri = s.text("sora.output");
        if (!uri.startsWith("file:") && !(uri.startsWith("s3://") && uri.length() > "s3://".length())) {
            throw new SettingException("sora.output", "must be file:<folder> or s3://<bucket>/<prefix>, got '" + uri + "'");
        }
        return new OutputSettings(uri, s.integer("sora.output.s3.part-size-mb", BucketOutputStore.MIN_PART_SIZE_MB, 5120),
                Path.of(s.text("sora.data-dir"), "tmp"));
    }

    /** The output folder, or null for a bucket. */
    public Path folder() {
        return uri.startsWith("file:") ? Path.of(uri.substring("file:".length())) : null;
    }

    /**
     * The output store.
     *
     * @param bucketClient binds the S3 client the aws2-s3 producer looks up; run only for a bucket
     */
    public OutputStore open(ProducerTemplate producer, Runnable bucketClient) {
        if (folder() != null) {
            return new FolderOutputStore(folder());
        }
        bucketClient.run();
        try {
            return BucketOutputStore.forUri(producer, uri, partSizeMb, tempDir);
        } catch (IllegalArgumentException e) {
            throw new SettingException("sora.output", e.getMessage());
        }
    }
}

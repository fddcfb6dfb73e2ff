package dev.sorabatch.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.apache.camel.pollconsumer.quartz.QuartzScheduledPollConsumerScheduler;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

import dev.sorabatch.reference.ReferencePolicy;
import dev.sorabatch.settings.SettingException;
import dev.sorabatch.settings.Settings;
import dev.sorabatch.store.Duties;

/**
 * {@code sora.input.*} and the request rules: where prompt files come from ({@code file:<folder>},
 * {@code s3://<bucket>/<prefix>} or {@code sqs://<queue>}), where they go afterwards, the caps on one file and the
 * rules each row is checked against.
 */
public record InputSettings(Kind kind, String location, String schedule, Path done, Path error, String s3DonePrefix,
                            String s3ErrorPrefix, String deadLetterQueue, int maxReceives, boolean skipDuplicates,
                            ReadLimits limits, ValidationRules rules, long pollIntervalMillis) {

    /** The source kinds, each with its route ({@code routes/ingest-<kind>.yaml}). */
    public enum Kind {
        FOLDER("file:"), BUCKET("s3://"), QUEUE("sqs://");

        final String scheme;

        Kind(String scheme) {
            this.scheme = scheme;
        }

        public String route() {
            return "routes/ingest-" + name().toLowerCase(Locale.ROOT) + ".yaml";
        }
    }

    public static InputSettings from(Settings s, ReferencePolicy references) {
        String uri = s.text("sora.input");
        Kind kind = null;
        for (Kind k : Kind.values()) {
            if (uri.startsWith(k.scheme) && (k == Kind.FOLDER || uri.length() > k.scheme.length())) {
                kind = k;
            }
        }
        if (kind == null) {
            throw new SettingException("sora.input",
                    "must be file:<folder>, s3://<bucket>/<prefix> or sqs://<queue>, got '" + uri + "'");
        }
        long pollInterval = s.millis("sora.input.poll-interval", 1);
        s.millis("sora.input.settle-time", 1); // the folder route reads it itself
        return new InputSettings(kind, uri.substring(kind.scheme.length()), s.cron("sora.input.schedule"),
                Path.of(s.text("sora.input.done")),
                Path.of(s.text("sora.input.error")), s.text("sora.input.s3.done-prefix"),
                s.text("sora.input.s3.error-prefix"), s.text("sora.input.sqs.dead-letter-queue", ""),
                s.integer("sora.input.sqs.max-receives", 1), s.flag("sora.input.skip-duplicates"), limits(s),
                rules(s, references), pollInterval);
    }

    /**
     * The lease on listing this input ({@link ListingDuty}): a holder renews it at every poll, so it lasts at least
     * two poll intervals, and {@code minLeaseMillis} (the workers' lease) when that is longer.
     */
    public ListingDuty listingDuty(Duties duties, String owner, long minLeaseMillis, InputEvents events) {
        // a folder by its absolute path: instances that name one shared folder differently still share one duty
        String input = kind == Kind.FOLDER ? Path.of(location).toAbsolutePath().normalize().toString() : location;
        return new ListingDuty(duties, kind.scheme + input, owner, Math.max(minLeaseMillis, 2 * pollIntervalMillis),
                events);
    }

    /** The bucket of {@code s3://<bucket>/<prefix>}. */
    public String bucket() {
        int slash = location.indexOf('/');
        return slash < 0 ? location : location.substring(0, slash);
    }

    /** The key prefix of {@code s3://<bucket>/<prefix>}: empty, or ending with '/'. */
    public String prefix() {
        int slash = location.indexOf('/');
        return BucketSource.folderPrefix(slash < 0 ? "" : location.substring(slash + 1));
    }

    /**
     * What the ingest routes read besides the {@code sora.input.*} settings: the kind in use (only its route is
     * made), the folder, bucket, prefix or queue, and how the input is polled: on a fixed delay, or by
     * {@link #scheduler}; in once mode an empty receive from the queue
     * comes back after a second, to end the run, where service mode waits longer (long polling).
     */
    public Map<String, String> routeProperties(boolean once) {
        boolean scheduled = !once && !schedule.isEmpty();
        return Map.of("sora.ingest.kind", kind.name().toLowerCase(Locale.ROOT),
                "sora.ingest.folder", kind == Kind.FOLDER ? Path.of(location).toAbsolutePath().normalize().toString() : "",
                "sora.ingest.bucket", kind == Kind.BUCKET ? bucket() : "",
                "sora.ingest.prefix", kind == Kind.BUCKET ? prefix() : "",
                "sora.ingest.queue", kind == Kind.QUEUE ? location : "",
                "sora.ingest.scheduler", scheduled ? "#inputSchedule" : "none",
                "sora.ingest.wait-seconds", once ? "1" : "10");
    }

    /** What {@code #inputSchedule} names: a Quartz scheduler on {@code sora.input.schedule} (not in once mode). */
    public Optional<QuartzScheduledPollConsumerScheduler> scheduler(boolean once) {
        if (once || schedule.isEmpty()) {
            return Optional.empty();
        }
        QuartzScheduledPollConsumerScheduler quartz = new QuartzScheduledPollConsumerScheduler();
        quartz.setCron(schedule);
        return Optional.of(quartz);
    }

    /**
     * Whether the input can be read now (for the readiness check): the folder is a readable directory, the bucket
     * answers, the queue exists. Throws with the reason when not.
     */
    public void checkReachable(Supplier<S3Client> s3, Supplier<SqsClient> sqs) throws IOException {
        switch (kind) {
            case FOLDER -> {
                Path folder = Path.of(location);
                if (!Files.isDirectory(folder) || !Files.isReadable(folder)) {
                    throw new IOException("the input folder " + folder.toAbsolutePath() + " is not a readable folder");
                }
            }
            case BUCKET -> s3.get().headBucket(b -> b.bucket(bucket()));
            case QUEUE -> sqs.get().getQueueUrl(q -> q.queueName(location));
        }
    }

    /** The source of this kind, for the route to hand its exchanges to. */
    public InputSource source(BatchIngestor ingestor, InputEvents events, Supplier<S3Client> s3,
                              Supplier<SqsClient> sqs) {
        return switch (kind) {
            case FOLDER -> new FolderSource(ingestor, events, Path.of(location), done, error);
            case BUCKET -> new BucketSource(ingestor, events, s3.get(), bucket(), prefix(), s3DonePrefix, s3ErrorPrefix);
            case QUEUE -> new EventQueueSource(ingestor, events, s3.get(), sqs.get(), location, deadLetterQueue,
                    maxReceives, s3ErrorPrefix);
        };
    }

    private static ReadLimits limits(Settings s) {
        return new ReadLimits(s.integer("sora.input.max-file-mb", 1) * 1024L * 1024,
                s.integer("sora.input.max-line-length", 1), s.integer("sora.input.max-cell-length", 1),
                s.integer("sora.input.max-nesting-depth", 1), s.integer("sora.input.max-rows", 1),
                s.integer("sora.input.max-columns", 1));
    }

    private static ValidationRules rules(Settings s, ReferencePolicy references) {
        ValidationRules d = ValidationRules.defaults();
        try {
            return new ValidationRules(s.integer("sora.prompt.max-length", 1),
                    ValidationRules.parseNumbers(s.text("sora.seconds.allowed")), s.integer("sora.takes.max", 1),
                    s.text("sora.defaults.model"), s.integer("sora.defaults.seconds", 1), s.text("sora.defaults.size"),
                    d.standardSizes(), d.proSizes(), ValidationRules.parseList(s.text("sora.models.pro", "")),
                    ValidationRules.parseList(s.text("sora.models.extra", "")), references);
        } catch (IllegalArgumentException e) {
            throw e instanceof SettingException ? e
                    : new SettingException("sora.defaults.* / sora.seconds.allowed / sora.models.*", e.getMessage());
        }
    }
}

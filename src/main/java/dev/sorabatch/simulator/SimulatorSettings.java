package dev.sorabatch.simulator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Random;

import dev.sorabatch.settings.SettingException;
import dev.sorabatch.settings.Settings;

/**
 * Behaviour knobs of the simulator. Every knob may be changed while the server runs (tests switch them between
 * phases); a change applies to requests that arrive afterwards. Shares are probabilities in {@code [0, 1]}.
 */
public final class SimulatorSettings {

    /** Min and max kept together so a concurrent reader never sees a half-applied range. */
    private record Range(Duration min, Duration max) {
    }

    /** A 429 storm: until when, and the wait each refusal asks for. */
    private record Storm(Instant until, Duration retryAfter) {
    }

    private volatile Range generation = new Range(Duration.ofSeconds(2), Duration.ofSeconds(5));
    private volatile Storm storm;
    private volatile int createsPerMinute;
    private volatile int createsBurst;
    private volatile int maxInFlight;
    private volatile double serverErrorShare;
    private volatile double dropShare;
    private volatile double lostResponseShare;
    private volatile double failureShare;
    private volatile Duration contentExpiry = Duration.ofHours(1);
    private volatile String blockedWord = "forbidden-word";
    private volatile Long pollAfterMillis;
    private volatile long largeVideoBytes;
    private volatile byte[] video;
    private volatile String requiredApiKey;
    private volatile boolean echoKey;
    private volatile Random random = new Random(42);
    private volatile boolean outOfCredits;
    /** Creates the account can still pay for; negative = unlimited. */
    private int credits = -1;
    private volatile String s3Endpoint = "";
    private volatile String webhookUrl;
    private volatile String webhookSecret;
    private volatile WebhookFault webhookFault = WebhookFault.NONE;

    /** A fault put into every callback the faces send, for tests of the receiving side. */
    public enum WebhookFault {
        NONE,
        /** signed with another key */
        BAD_SIGNATURE,
        /** signed with a timestamp an hour old */
        STALE_TIMESTAMP,
        /** each delivery sent twice, byte for byte */
        DUPLICATE
    }

    /**
     * The knobs from the {@code sora.simulator.*} settings, each checked with its bounds and in the pipeline's
     * duration grammar ({@code 500}, {@code 2s}, {@code 5m}, {@code 1h30m}): in the pipeline from its settings, and
     * on its own ({@link SimulatorMain}) from the packaged defaults with system properties and environment
     * variables over them.
     */
    public static SimulatorSettings from(Settings s) {
        long min = s.millis("sora.simulator.generation-min");
        long max = s.millis("sora.simulator.generation-max");
        s.ordered("sora.simulator.generation-min", min, "sora.simulator.generation-max", max);
        String blocked = s.text("sora.simulator.blocked-word", "");
        String pollAfter = s.text("sora.simulator.poll-after", "");
        String apiKey = s.text("sora.simulator.api-key", "");
        return new SimulatorSettings()
                .generationTime(Duration.ofMillis(min), Duration.ofMillis(max))
                .createsPerMinute(s.integer("sora.simulator.creates-per-minute", 0))
                .createsBurst(s.integer("sora.simulator.creates-burst", 0))
                .maxInFlight(s.integer("sora.simulator.max-in-flight", 0))
                .serverErrorShare(s.decimal("sora.simulator.server-error-share", 0, 1))
                .dropShare(s.decimal("sora.simulator.drop-share", 0, 1))
                .lostResponseShare(s.decimal("sora.simulator.lost-response-share", 0, 1))
                .failureShare(s.decimal("sora.simulator.failure-share", 0, 1))
                .contentExpiry(s.duration("sora.simulator.content-expiry", 0))
                .largeVideoBytes(s.wholeNumber("sora.simulator.video-bytes", 0))
                .video(videoFile(s))
                .blockedWord(blocked.isEmpty() ? null : blocked)
                .pollAfterMillis(pollAfter.isEmpty() ? null : s.millis("sora.simulator.poll-after"))
                .requiredApiKey(apiKey.isEmpty() ? null : apiKey)
                .echoKey(s.flag("sora.simulator.echo-key"))
                .seed(s.wholeNumber("sora.simulator.seed", Long.MIN_VALUE))
                .outOfCredits(s.flag("sora.simulator.out-of-credits"))
                .credits(s.integer("sora.simulator.credits", -1))
                .s3Endpoint(s.text("sora.simulator.s3-endpoint", ""))
                .webhookUrl(s.text("sora.simulator.webhook-url", ""))
                .webhookSecret(s.text("sora.simulator.webhook-secret", ""))
                .webhookFault(webhookFault(s));
    }

    private static WebhookFault webhookFault(Settings s) {
        String raw = s.text("sora.simulator.webhook-fault", "none");
        try {
            return WebhookFault.valueOf(raw.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new SettingException("sora.simulator.webhook-fault", "must be none, bad-signature, stale-timestamp "
                    + "or duplicate, got '" + raw + "'");
        }
    }

    /** {@code sora.simulator.port}: on 127.0.0.1; 0 picks a free one. */
    public static int port(Settings s) {
        return s.integer("sora.simulator.port", 0, 65535);
    }

    /** Each job's generation time is drawn uniformly from {@code [min, max]}; default 2–5 s. */
    public SimulatorSettings generationTime(Duration min, Duration max) {
        if (min.isNegative() || max.compareTo(min) < 0) {
            throw new IllegalArgumentException("Need 0 <= min <= max, got " + min + ".." + max);
        }
        generation = new Range(min, max);
        return this;
    }

    /** Accepted creates allowed in any sliding 60 s window; 0 = unlimited. */
    public SimulatorSettings createsPerMinute(int limit) {
        createsPerMinute = atLeastZero(limit);
        return this;
    }

    /**
     * Quantised enforcement of {@link #createsPerMinute}, as real services do ("60,000 requests/minute may be
     * enforced as 1,000 requests/second"): at most this many creates back to back, the allowance refilling
     * continuously at the per-minute limit / 60 per second, on top of the sliding minute. 0 = the sliding minute only.
     */
    public SimulatorSettings createsBurst(int burst) {
        createsBurst = atLeastZero(burst);
        return this;
    }

    /**
     * A 429 storm: until {@code until}, every create is refused with 429 and a {@code Retry-After} of
     * {@code retryAfter} (at most what is left of the storm), whatever the limits, as when a provider cuts its limits
     * for everyone at once. Null ends it now.
     */
    public SimulatorSettings rateLimitStorm(Instant until, Duration retryAfter) {
        if (until != null && (retryAfter == null || retryAfter.isNegative())) {
            throw new IllegalArgumentException("Need a Retry-After of 0 or more, got " + retryAfter);
        }
        storm = until == null ? null : new Storm(until, retryAfter);
        return this;
    }

    /** While a 429 storm lasts, the milliseconds its refusals ask to wait; otherwise -1. */
    public long stormRetryAfterMillis(Instant now) {
        Storm current = storm;
        if (current == null || !now.isBefore(current.until())) {
            return -1;
        }
        return Math.min(current.retryAfter().toMillis(), Duration.between(now, current.until()).toMillis());
    }

    /** Jobs allowed to be queued or in progress at once; past it a face refuses (OpenAI) or queues; 0 = unlimited. */
    public SimulatorSettings maxInFlight(int limit) {
        maxInFlight = atLeastZero(limit);
        return this;
    }

    /** Share of requests answered 500/502/503 before anything else happens. */
    public SimulatorSettings serverErrorShare(double share) {
        serverErrorShare = share(share);
        return this;
    }

    /** Share of requests whose connection is closed without a response before anything else happens. */
    public SimulatorSettings dropShare(double share) {
        dropShare = share(share);
        return this;
    }

    /** Share of accepted creates whose connection is closed after the job was created. */
    public SimulatorSettings lostResponseShare(double share) {
        lostResponseShare = share(share);
        return this;
    }

    /** Share of created jobs that end {@code failed}. */
    public SimulatorSettings failureShare(double share) {
        failureShare = share(share);
        return this;
    }

    /** How long content stays downloadable after completion; read at request time, so it also affects older jobs. */
    public SimulatorSettings contentExpiry(Duration expiry) {
        if (expiry.isNegative()) {
            throw new IllegalArgumentException("Negative expiry " + expiry);
        }
        contentExpiry = expiry;
        return this;
    }

    /**
     * Prompts containing this word (ignoring case) are refused by moderation, each face in its service's way (at
     * create, or as a job that fails); null disables the check.
     */
    public SimulatorSettings blockedWord(String word) {
        blockedWord = word;
        return this;
    }

    /** Value of the {@code openai-poll-after-ms} header on status responses; null omits the header. */
    public SimulatorSettings pollAfterMillis(Long millis) {
        pollAfterMillis = millis;
        return this;
    }

    /** When positive, the video variant is a synthetic body of exactly this many bytes; 0 serves the fixture. */
    public SimulatorSettings largeVideoBytes(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("Negative size " + bytes);
        }
        largeVideoBytes = bytes;
        return this;
    }

    /** An MP4 served as every job's video instead of the built-in clip (e.g. one without sound); null for the clip. */
    public SimulatorSettings video(byte[] mp4) {
        video = mp4;
        return this;
    }

    public byte[] video() {
        return video;
    }

    /** {@code sora.simulator.video-file}: read once, here; empty for the built-in clip. */
    private static byte[] videoFile(Settings s) {
        String file = s.text("sora.simulator.video-file", "");
        if (file.isBlank()) {
            return null;
        }
        try {
            return Files.readAllBytes(Path.of(file));
        } catch (IOException | RuntimeException e) {
            throw new SettingException("sora.simulator.video-file", "cannot be read: " + e.getMessage());
        }
    }

    /**
     * Key every API request must present as the face's clients do ({@code Authorization: Bearer <key>}, fal's
     * {@code Authorization: Key <key>}, OpenAI's also {@code api-key: <key>}); output files need none. Null accepts
     * any request.
     */
    public SimulatorSettings requiredApiKey(String key) {
        requiredApiKey = key;
        return this;
    }

    /**
     * When true, every error body (401, 5xx, 4xx) repeats the credentials the request presented, as a careless
     * service might: for checking that the pipeline keeps keys out of logs, the store and manifests.
     */
    public SimulatorSettings echoKey(boolean echo) {
        echoKey = echo;
        return this;
    }

    /** Restarts the random sequence behind generation times and fault decisions (seed 42 until set). */
    public SimulatorSettings seed(long seed) {
        random = new Random(seed);
        return this;
    }

    /** When true, faces that bill by credit refuse creates as out of credits (Pixazo's 402); nothing is made. */
    public SimulatorSettings outOfCredits(boolean out) {
        outOfCredits = out;
        return this;
    }

    /**
     * Faces that bill by credit accept this many more creates, then answer as out of credits (Pixazo's 402), as an
     * account that runs dry mid-batch; negative = unlimited (the default).
     */
    public synchronized SimulatorSettings credits(int creates) {
        credits = creates;
        return this;
    }

    /** Spends one credit for a create: false when the account is out of them (or {@link #outOfCredits}). */
    synchronized boolean takeCredit() {
        if (outOfCredits || credits == 0) {
            return false;
        }
        if (credits > 0) {
            credits--;
        }
        return true;
    }

    /**
     * The S3 endpoint (path-style, e.g. {@code http://127.0.0.1:9000}) the Bedrock face writes each finished job's
     * {@code output.mp4} to, as Bedrock writes into the caller's bucket; empty: the Bedrock face refuses creates.
     */
    public SimulatorSettings s3Endpoint(String endpoint) {
        s3Endpoint = endpoint == null ? "" : endpoint.strip();
        return this;
    }

    /** Where the OpenAI face sends a callback when a job ends; empty or null for none. */
    public SimulatorSettings webhookUrl(String url) {
        webhookUrl = url == null || url.isBlank() ? null : url.strip();
        return this;
    }

    /** The {@code whsec_} secret Standard Webhooks callbacks are signed with; empty or null sends them unsigned. */
    public SimulatorSettings webhookSecret(String secret) {
        webhookSecret = secret == null || secret.isBlank() ? null : secret.strip();
        return this;
    }

    public SimulatorSettings webhookFault(WebhookFault fault) {
        webhookFault = fault;
        return this;
    }

    public String webhookUrl() {
        return webhookUrl;
    }

    public String webhookSecret() {
        return webhookSecret;
    }

    public WebhookFault webhookFault() {
        return webhookFault;
    }

    public boolean outOfCredits() {
        return outOfCredits;
    }

    public String s3Endpoint() {
        return s3Endpoint;
    }

    public Duration generationMin() {
        return generation.min();
    }

    public Duration generationMax() {
        return generation.max();
    }

    public int createsPerMinute() {
        return createsPerMinute;
    }

    public int createsBurst() {
        return createsBurst;
    }

    public int maxInFlight() {
        return maxInFlight;
    }

    public double serverErrorShare() {
        return serverErrorShare;
    }

    public double dropShare() {
        return dropShare;
    }

    public double lostResponseShare() {
        return lostResponseShare;
    }

    public double failureShare() {
        return failureShare;
    }

    public Duration contentExpiry() {
        return contentExpiry;
    }

    public String blockedWord() {
        return blockedWord;
    }

    public Long pollAfterMillis() {
        return pollAfterMillis;
    }

    public long largeVideoBytes() {
        return largeVideoBytes;
    }

    public String requiredApiKey() {
        return requiredApiKey;
    }

    public boolean echoKey() {
        return echoKey;
    }

    boolean chance(double share) {
        return share > 0 && random.nextDouble() < share;
    }

    Duration drawGenerationTime() {
        Range range = generation;
        long spread = range.max().toMillis() - range.min().toMillis();
        return range.min().plusMillis((long) (random.nextDouble() * (spread + 1)));
    }

    int pick(int bound) {
        return random.nextInt(bound);
    }

    private static int atLeastZero(int value) {
        if (value < 0) {
            throw new IllegalArgumentException("Negative limit " + value);
        }
        return value;
    }

    private static double share(double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException("Share must be within [0, 1], got " + value);
        }
        return value;
    }
}

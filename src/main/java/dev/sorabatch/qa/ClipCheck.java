package dev.sorabatch.qa;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Compares what a clip is ({@link ClipFacts}) with what was asked for it ({@link Expected}) and names each
 * difference. A flag is for people to look at; nothing is deleted or retried because of one.
 * <p>
 * The rules:
 * <ul>
 * <li><b>Length</b>: flagged when it differs from the asked length by more than the length tolerance (default
 * {@value #DEFAULT_LENGTH_TOLERANCE_MILLIS} ms: providers' clips are a frame or two off, a clip of 4 s for 8 s is
 * not), or when the file states no length.</li>
 * <li><b>Frame</b>: the frame a player shows (a clip stored turned a quarter counts as turned) is compared with the
 * asked one side by side, each side allowed the size tolerance (default {@value #DEFAULT_SIZE_TOLERANCE_PERCENT}
 * %). That admits a provider's rounding of a frame asked by aspect ratio and resolution (832x480 for 16:9 480p,
 * 1248x704 for 16:9 720p) and nothing else: the other orientation, another aspect ratio, and the same aspect ratio at
 * another resolution are flagged, because resolutions are priced differently and the row asked for one.</li>
 * <li><b>Sound</b>: a clip without a sound track is flagged only when the model promises sound for it (a model that
 * always makes sound, or optional sound that the row did not switch off). A sound track that is present but silent
 * is not detected: that would need decoding.</li>
 * <li>A file with no video track, a file cut short, and a file whose index cannot be read are flagged as such; the
 * last gets no other flag, as nothing else is known.</li>
 * </ul>
 */
public final class ClipCheck {

    static final long DEFAULT_LENGTH_TOLERANCE_MILLIS = 500;
    static final int DEFAULT_SIZE_TOLERANCE_PERCENT = 5;

    /** The default tolerances. */
    public static final ClipCheck DEFAULT = new ClipCheck(Duration.ofMillis(DEFAULT_LENGTH_TOLERANCE_MILLIS),
            DEFAULT_SIZE_TOLERANCE_PERCENT / 100.0);

    /**
     * What was asked for a clip.
     *
     * @param length        the asked length
     * @param width         the asked frame's width: a row's {@code size}, or the nominal frame of its
     *                      {@code aspect_ratio} and {@code resolution} (the catalogue's {@code Frame} maps both)
     * @param height        the asked frame's height
     * @param audioPromised whether the model makes sound for this row (it always does, or it may and the row did not
     *                      switch it off)
     */
    public record Expected(Duration length, int width, int height, boolean audioPromised) {
        public Expected {
            Objects.requireNonNull(length, "length");
            if (width <= 0 || height <= 0) {
                throw new IllegalArgumentException("an expected frame of " + width + "x" + height);
            }
        }

        /** A length in whole seconds and a frame, as the catalogue gives them. */
        public static Expected of(int seconds, int width, int height, boolean audioPromised) {
            return new Expected(Duration.ofSeconds(seconds), width, height, audioPromised);
        }
    }

    /** One difference, by a stable code and a sentence for people. */
    public record Flag(Code code, String message) {
    }

    /** What kind of difference a flag is. */
    public enum Code {
        UNREADABLE, NO_VIDEO_TRACK, TRUNCATED, DURATION_MISMATCH, SIZE_MISMATCH, AUDIO_MISSING;

        /** The code as it is written out: {@code duration_mismatch}. */
        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Duration lengthTolerance;
    private final double sizeTolerance;

    /**
     * @param lengthTolerance how far a clip's length may be from the asked one
     * @param sizeTolerance   how far each side of the frame may be from the asked one, as a fraction of it (0.05)
     */
    public ClipCheck(Duration lengthTolerance, double sizeTolerance) {
        if (lengthTolerance.isNegative() || !(sizeTolerance >= 0 && sizeTolerance < 1)) {
            throw new IllegalArgumentException("tolerances " + lengthTolerance + " and " + sizeTolerance);
        }
        this.lengthTolerance = lengthTolerance;
        this.sizeTolerance = sizeTolerance;
    }

    /** The differences between a clip and what was asked for it, in a fixed order; empty when there are none. */
    public List<Flag> check(ClipFacts facts, Expected expected) {
        if (facts.unreadable().isPresent()) {
            return List.of(new Flag(Code.UNREADABLE, "the file could not be read: " + facts.unreadable().get()));
        }
        List<Flag> flags = new ArrayList<>();
        if (!facts.video()) {
            flags.add(new Flag(Code.NO_VIDEO_TRACK, "the file has no video track"));
        }
        if (facts.truncated()) {
            flags.add(new Flag(Code.TRUNCATED, "the file is cut short: it ends inside a box"));
        }
        String asked = seconds(expected.length()) + " asked, ";
        facts.duration().ifPresentOrElse(length -> {
            if (length.minus(expected.length()).abs().compareTo(lengthTolerance) > 0) {
                flags.add(new Flag(Code.DURATION_MISMATCH, asked + seconds(length) + " delivered"));
            }
        }, () -> flags.add(new Flag(Code.DURATION_MISMATCH, asked + "the file states no length")));
        if (facts.video() && !(near(facts.displayWidth(), expected.width()) && near(facts.displayHeight(), expected.height()))) {
            String stored = facts.rotation() == 0 ? ""
                    : " (stored " + facts.width() + "x" + facts.height() + ", turned " + facts.rotation() + "°)";
            flags.add(new Flag(Code.SIZE_MISMATCH, expected.width() + "x" + expected.height() + " asked, "
                    + facts.displayWidth() + "x" + facts.displayHeight() + " delivered" + stored));
        }
        if (expected.audioPromised() && !facts.audio()) {
            flags.add(new Flag(Code.AUDIO_MISSING, "the model promises sound; the file has no sound track"));
        }
        return List.copyOf(flags);
    }

    private boolean near(int actual, int asked) {
        return Math.abs(actual - asked) <= asked * sizeTolerance;
    }

    /** Seconds to the millisecond, at least one decimal: {@code 8.0 s}, {@code 8.501 s}. */
    private static String seconds(Duration length) {
        BigDecimal value = BigDecimal.valueOf(length.toMillis(), 3).stripTrailingZeros();
        return (value.scale() < 1 ? value.setScale(1) : value).toPlainString() + " s";
    }
}

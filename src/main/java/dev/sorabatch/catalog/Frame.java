package dev.sorabatch.catalog;

import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A video frame in both vocabularies of a request: {@code size} ({@code WIDTHxHEIGHT}) and {@code aspect_ratio} +
 * {@code resolution}. This is the one place where they are mapped onto each other.
 *
 * <p>The frames vendors name are listed as they name them: 16:9 and 9:16 at 480p, 540p, 720p, 1080p and 4k
 * (1920x1080 is 16:9 1080p), squares of the same pixel count as the 16:9 frame (960x960 is 1:1 720p, 1440x1440 is
 * 1:1 1080p), Runway's 1104x832, 832x1104 and 1584x672 at 720p, and OpenAI's 1792x1024 and 1024x1792. Any other
 * size reads as its ratio (reduced, but 21:9 rather than 7:3) at its short side ({@code 640x480} is 4:3 480p), and any other pair is the frame
 * whose short side is the resolution, the long side rounded to even pixels ({@code 4:3 540p} is 720x540): the
 * nominal size of a provider that is asked by aspect ratio, which may round it otherwise.
 */
public record Frame(int width, int height, String aspectRatio, String resolution) {

    private static final Pattern SIZE = Pattern.compile("([1-9]\\d{0,4})x([1-9]\\d{0,4})");
    private static final Pattern ASPECT_RATIO = Pattern.compile("([1-9]\\d{0,2}):([1-9]\\d{0,2})");
    private static final Pattern RESOLUTION = Pattern.compile("([1-9]\\d{1,4})p|4k");
    private static final int FOUR_K_HEIGHT = 2160;
    private static final Map<String, String> USUAL_NAMES = Map.of("7:3", "21:9", "3:7", "9:21");

    private static final List<Frame> NAMED = List.of(
            new Frame(854, 480, "16:9", "480p"), new Frame(480, 854, "9:16", "480p"),
            new Frame(960, 540, "16:9", "540p"), new Frame(540, 960, "9:16", "540p"),
            new Frame(1280, 720, "16:9", "720p"), new Frame(720, 1280, "9:16", "720p"),
            new Frame(1920, 1080, "16:9", "1080p"), new Frame(1080, 1920, "9:16", "1080p"),
            new Frame(3840, 2160, "16:9", "4k"), new Frame(2160, 3840, "9:16", "4k"),
            new Frame(640, 640, "1:1", "480p"), new Frame(720, 720, "1:1", "540p"), new Frame(960, 960, "1:1", "720p"),
            new Frame(1440, 1440, "1:1", "1080p"),
            // Runway's ratios (runwayml/sdk-python src/runwayml/types/image_to_video_create_params.py)
            new Frame(1104, 832, "4:3", "720p"), new Frame(832, 1104, "3:4", "720p"), new Frame(1584, 672, "21:9", "720p"),
            // OpenAI's large sora-2-pro sizes
            new Frame(1792, 1024, "7:4", "1024p"), new Frame(1024, 1792, "4:7", "1024p"));

    /** {@code WIDTHxHEIGHT}, the request's and OpenAI's form. */
    public String size() {
        return width + "x" + height;
    }

    /** {@code WIDTH:HEIGHT}, Runway's {@code ratio}. */
    public String ratio() {
        return width + ":" + height;
    }

    /** The frame of a size such as {@code 1280x720} (any case, spaces around); empty when it is not one. */
    public static Optional<Frame> ofSize(String size) {
        Matcher m = SIZE.matcher(normal(size));
        if (!m.matches()) {
            return Optional.empty();
        }
        int width = Integer.parseInt(m.group(1));
        int height = Integer.parseInt(m.group(2));
        return Optional.of(NAMED.stream().filter(f -> f.width == width && f.height == height).findFirst()
                .orElseGet(() -> new Frame(width, height, aspectRatio(width, height), Math.min(width, height) + "p")));
    }

    /** The frame of an aspect ratio such as {@code 16:9} and a resolution such as {@code 720p} or {@code 4k}. */
    public static Optional<Frame> of(String aspectRatio, String resolution) {
        Matcher ratio = ASPECT_RATIO.matcher(aspectRatio.strip());
        String res = normal(resolution);
        Matcher lines = RESOLUTION.matcher(res);
        if (!ratio.matches() || !lines.matches()) {
            return Optional.empty();
        }
        String aspect = ratio.group();
        return Optional.of(NAMED.stream().filter(f -> f.aspectRatio.equals(aspect) && f.resolution.equals(res))
                .findFirst().orElseGet(() -> {
                    int across = Integer.parseInt(ratio.group(1));
                    int down = Integer.parseInt(ratio.group(2));
                    int shortSide = lines.group(1) == null ? FOUR_K_HEIGHT : Integer.parseInt(lines.group(1));
                    int longSide = (int) Math.round(shortSide * (double) Math.max(across, down) / Math.min(across, down) / 2) * 2;
                    return across >= down ? new Frame(longSide, shortSide, aspect, res)
                            : new Frame(shortSide, longSide, aspect, res);
                }));
    }

    /** The ratio reduced, by its usual name where that is not the reduced one (21:9 rather than 7:3). */
    private static String aspectRatio(int width, int height) {
        int gcd = BigInteger.valueOf(width).gcd(BigInteger.valueOf(height)).intValue();
        String reduced = width / gcd + ":" + height / gcd;
        return USUAL_NAMES.getOrDefault(reduced, reduced);
    }

    static boolean isAspectRatio(String text) {
        return ASPECT_RATIO.matcher(text.strip()).matches();
    }

    static boolean isResolution(String text) {
        return RESOLUTION.matcher(normal(text)).matches();
    }

    /** Sizes and resolutions are compared in lower case: {@code 1280X720} and {@code 4K} are accepted. */
    static String normal(String text) {
        return text.strip().toLowerCase(Locale.ROOT);
    }
}

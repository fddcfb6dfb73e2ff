package dev.sorabatch.qa;

import java.time.Duration;
import java.util.Optional;

/**
 * What an MP4 file says about itself in its index ({@code moov} box), as {@link Mp4Probe} reads it. Values are
 * reported the way ffprobe reports them, so the two can be compared.
 *
 * @param duration   the movie's length from its header ({@code mvhd}), edit lists included: ffprobe's
 *                   {@code format=duration}; empty when the file states none (a fragmented file whose index was
 *                   written before its fragments, or a zero length)
 * @param width      the first video track's coded width in pixels, as its sample entry gives it (ffprobe's
 *                   {@code width}); 0 without a video track
 * @param height     the same track's height; 0 without a video track
 * @param rotation   how far a player turns that track's frames, in degrees counter-clockwise (0, 90, 180 or 270):
 *                   ffprobe's display matrix {@code rotation}, taken modulo 360
 * @param videoCodec the first video track's codec, by ffprobe's {@code codec_name} ({@code h264}, {@code hevc},
 *                   {@code av1}, {@code vp9}, ...), or its sample entry's four-character code when it is none of
 *                   those; empty when the file has no video track
 * @param audioCodec the first sound track's codec, named the same way by its sample entry's code ({@code aac},
 *                   {@code opus}, {@code ac3}, ...; any {@code mp4a} entry is {@code aac}, as the decoder
 *                   configuration is not read); empty when the file has no sound track
 * @param truncated  the file was cut short: its bytes end inside a box, or it has no media data ({@code mdat})
 *                   at all (its index can still be whole, when it comes first)
 * @param unreadable why no facts could be read (not an MP4 file, cut off before or inside its index, a damaged box);
 *                   when present, every other field is empty
 */
public record ClipFacts(Optional<Duration> duration, int width, int height, int rotation, Optional<String> videoCodec,
                        Optional<String> audioCodec, boolean truncated, Optional<String> unreadable) {

    /** Facts of a file whose index could not be read, and why. */
    public static ClipFacts unreadable(String reason) {
        return new ClipFacts(Optional.empty(), 0, 0, 0, Optional.empty(), Optional.empty(), false, Optional.of(reason));
    }

    /** Whether the file has a video track. */
    public boolean video() {
        return videoCodec.isPresent();
    }

    /** Whether the file has a sound track. */
    public boolean audio() {
        return audioCodec.isPresent();
    }

    /** The width a player shows: the coded height when the frames are turned a quarter. */
    public int displayWidth() {
        return quarterTurned() ? height : width;
    }

    /** The height a player shows. */
    public int displayHeight() {
        return quarterTurned() ? width : height;
    }

    private boolean quarterTurned() {
        return rotation == 90 || rotation == 270;
    }
}

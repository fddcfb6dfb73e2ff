package dev.sorabatch.qa;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.drew.imaging.mp4.Mp4MetadataReader;
import com.drew.metadata.Metadata;
import com.drew.metadata.mp4.Mp4Directory;
import com.drew.metadata.mp4.media.Mp4VideoDirectory;

/**
 * The facts in a whole {@code moov} box. metadata-extractor's MP4 reader reads the header fields: the movie header's
 * length (both versions), the first framed track's turn (its track header's matrix) and the visual sample entry's
 * coded width and height.
 * <p>
 * Two things are read here, in one pass over the box tree that the library goes down as well. The structure: every
 * box inside the containers the library goes into must lie within its parent, because the library allocates an
 * array of the size a box claims before reading it (drewnoakes/metadata-extractor
 * Source/com/drew/lang/StreamReader.java, getBytes), so one damaged size field in a small index would ask for up to
 * 2 GiB. And each track's handler and first sample-entry code: the library keeps only its own name for a code
 * (Source/com/drew/metadata/mp4/Mp4Dictionary.java), which is "Unknown" for {@code hvc1}, {@code av01} and
 * {@code vp09}.
 */
final class Mp4Index {

    static final int MAX_TRACKS = 64;

    /** The containers metadata-extractor goes into (Mp4BoxHandler and Mp4MediaHandler, shouldAcceptContainer). */
    private static final Set<String> CONTAINERS = Set.of("moov", "trak", "mdia", "minf", "stbl");
    private static final int HEADER = 8;
    private static final int LARGE_HEADER = 16;

    /**
     * Codec names by sample-entry code as ffprobe gives them: FFmpeg's tag tables (libavformat/isom_tags.c,
     * ff_codec_movvideo_tags and ff_codec_movaudio_tags). An {@code mp4a} entry is {@code aac} there; the decoder
     * configuration that tells MPEG-4 audio of other kinds (MP3 in {@code mp4a}) apart is not read.
     */
    private static final Map<String, String> VIDEO = Map.ofEntries(
            Map.entry("avc1", "h264"), Map.entry("avc2", "h264"), Map.entry("avc3", "h264"), Map.entry("avc4", "h264"),
            Map.entry("hvc1", "hevc"), Map.entry("hev1", "hevc"), Map.entry("dvh1", "hevc"), Map.entry("dvhe", "hevc"),
            Map.entry("av01", "av1"), Map.entry("vp09", "vp9"), Map.entry("vp08", "vp8"), Map.entry("mp4v", "mpeg4"),
            Map.entry("apch", "prores"), Map.entry("apcn", "prores"), Map.entry("apcs", "prores"),
            Map.entry("apco", "prores"), Map.entry("ap4h", "prores"), Map.entry("ap4x", "prores"),
            Map.entry("jpeg", "mjpeg"), Map.entry("mjpa", "mjpeg"));
    private static final Map<String, String> AUDIO = Map.of(
            "mp4a", "aac", "ac-3", "ac3", "ec-3", "eac3", "Opus", "opus", "fLaC", "flac", "alac", "alac",
            "samr", "amr_nb", "sawb", "amr_wb", "sowt", "pcm_s16le", "twos", "pcm_s16be");

    private Mp4Index() {
    }

    /**
     * @param moov      the whole {@code moov} box, header included
     * @param at        where it starts in the file (for the messages)
     * @param truncated whether the file around it was cut short
     */
    static ClipFacts facts(byte[] moov, long at, boolean truncated) {
        Structure structure = new Structure();
        String damage = structure.damage(moov, HEADER, moov.length, "moov", at);
        if (damage != null) {
            return ClipFacts.unreadable(damage);
        }
        Metadata metadata;
        try {
            metadata = Mp4MetadataReader.readMetadata(new ByteArrayInputStream(moov));
        } catch (RuntimeException e) {
            // the library records what it cannot read as directory errors; anything thrown is a fault of its own
            return ClipFacts.unreadable("the index could not be read (" + e + ")");
        }
        Mp4Directory movie = metadata.getFirstDirectoryOfType(Mp4Directory.class);
        if (movie == null || !movie.containsTag(Mp4Directory.TAG_TIME_SCALE)) {
            return ClipFacts.unreadable("its 'mvhd' box is missing or too short");
        }
        Optional<String> audio = structure.codec("soun", AUDIO);
        Optional<String> video = structure.codec("vide", VIDEO);
        Optional<Mp4VideoDirectory> frame = metadata.getDirectoriesOfType(Mp4VideoDirectory.class).stream()
                .filter(d -> d.containsTag(Mp4VideoDirectory.TAG_WIDTH)).findFirst();
        if (video.isEmpty() || frame.isEmpty()) {
            return new ClipFacts(duration(movie), 0, 0, 0, Optional.empty(), audio, truncated, Optional.empty());
        }
        return new ClipFacts(duration(movie), frame.get().getInteger(Mp4VideoDirectory.TAG_WIDTH),
                frame.get().getInteger(Mp4VideoDirectory.TAG_HEIGHT), rotation(movie), video, audio, truncated,
                Optional.empty());
    }

    /** The movie header's length; none when it states 0 or "unknown" (all ones in 32 bits). */
    private static Optional<Duration> duration(Mp4Directory movie) {
        Long scale = movie.getLongObject(Mp4Directory.TAG_TIME_SCALE);
        Long units = movie.getLongObject(Mp4Directory.TAG_DURATION);
        if (scale == null || units == null || scale <= 0 || units <= 0 || units == 0xFFFF_FFFFL) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofSeconds(units / scale, (units % scale) * 1_000_000_000L / scale));
    }

    /**
     * The library's turn of the first track with a frame, in degrees (from the display matrix, counter-clockwise as
     * FFmpeg's av_display_rotation_get in libavutil/display.c gives it); anything but a quarter turn reads as none.
     */
    private static int rotation(Mp4Directory movie) {
        Double degrees = movie.getDoubleObject(Mp4Directory.TAG_ROTATION);
        if (degrees == null) {
            return 0;
        }
        long turned = Math.floorMod(Math.round(degrees), 360);
        return Math.abs(degrees - Math.round(degrees)) < 1e-6 && turned % 90 == 0 ? (int) turned : 0;
    }

    /** One track's handler ({@code vide}, {@code soun}) and first sample-entry code, as the structure walk found. */
    private record Track(String handler, String code) {
    }

    /** The walk over the box tree: damage ends it; tracks are gathered as it goes. */
    private static final class Structure {
        final List<Track> tracks = new ArrayList<>();
        String handler = "";
        String code;

        /** Why the boxes in [from, to) of a {@code parent} box cannot be read, or null. */
        String damage(byte[] b, int from, int to, String parent, long at) {
            for (int box = from; to - box >= HEADER; ) {
                long size = Bytes.u32(b, box);
                String type = Bytes.fourcc(b, box + 4);
                int header = HEADER;
                if (size == 1 && to - box >= LARGE_HEADER) {
                    size = Bytes.s64(b, box + HEADER);
                    header = LARGE_HEADER;
                }
                if (size < header) {
                    return "the '" + type + "' box at byte " + (at + box) + " claims " + size + " bytes";
                }
                if (size > to - box) {
                    return "the '" + type + "' box at byte " + (at + box) + " runs past the end of its '" + parent
                            + "' box";
                }
                String inside = enter(b, type, box + header, box + (int) size, at);
                if (inside != null) {
                    return inside;
                }
                box += (int) size;
            }
            return null;
        }

        private String enter(byte[] b, String type, int from, int to, long at) {
            switch (type) {
                case "trak" -> {
                    if (tracks.size() == MAX_TRACKS) {
                        return "more than " + MAX_TRACKS + " tracks";
                    }
                    handler = "";
                    code = null;
                    String inside = damage(b, from, to, type, at);
                    tracks.add(new Track(handler, code));
                    return inside;
                }
                // §8.4.3: version and flags, pre_defined, then the handler type; the media's own comes first
                // (QuickTime puts a data handler, 'alis' or 'url ', in 'minf' after it)
                case "hdlr" -> handler = handler.isEmpty() && to - from >= 12 ? Bytes.fourcc(b, from + 8) : handler;
                // §8.5.2: version and flags, entry count; the first entry's size, then its code
                case "stsd" -> code = to - from >= 16 && Bytes.u32(b, from + 4) > 0 ? Bytes.fourcc(b, from + 12) : null;
                default -> {
                    return CONTAINERS.contains(type) ? damage(b, from, to, type, at) : null;
                }
            }
            return null;
        }

        /** The first track of that handler with a sample entry: its code, named by the table. */
        Optional<String> codec(String kind, Map<String, String> names) {
            return tracks.stream().filter(t -> t.handler().equals(kind) && t.code() != null).findFirst()
                    .map(t -> names.getOrDefault(t.code(), t.code().strip()));
        }
    }
}

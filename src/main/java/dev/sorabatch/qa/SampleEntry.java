package dev.sorabatch.qa;

import java.util.Map;

/**
 * The first sample entry of a track's sample description ({@code stsd}), read from the start of that box's payload
 * (ISO/IEC 14496-12 §8.5.2: VisualSampleEntry, AudioSampleEntry; QuickTime's sound descriptions of version 1 and 2
 * add 16 and 36 bytes before their child boxes). Codec names are ffprobe's: FFmpeg's tables of sample-entry codes
 * (libavformat/isom_tags.c, ff_codec_movvideo_tags and ff_codec_movaudio_tags) and of MPEG-4 object types for
 * {@code mp4a} (libavformat/isom.c, ff_mp4_obj_type).
 *
 * @param payload the box's payload (after its 8-byte header), or as much of its start as was kept
 */
record SampleEntry(byte[] payload) {

    /** stsd: version and flags, entry count; the entry: size, code, 6 reserved bytes, data reference index. */
    private static final int ENTRY = 8;
    private static final int ENTRY_FIELDS = ENTRY + 16;
    private static final int VISUAL_WIDTH = ENTRY_FIELDS + 16;
    private static final int AUDIO_CHILDREN = ENTRY_FIELDS + 20;
    private static final int ES_DESCRIPTOR = 0x03;
    private static final int DECODER_CONFIG_DESCRIPTOR = 0x04;

    private static final Map<String, String> VIDEO = Map.ofEntries(
            Map.entry("avc1", "h264"), Map.entry("avc2", "h264"), Map.entry("avc3", "h264"), Map.entry("avc4", "h264"),
            Map.entry("hvc1", "hevc"), Map.entry("hev1", "hevc"), Map.entry("dvh1", "hevc"), Map.entry("dvhe", "hevc"),
            Map.entry("av01", "av1"), Map.entry("vp09", "vp9"), Map.entry("vp08", "vp8"), Map.entry("mp4v", "mpeg4"),
            Map.entry("apch", "prores"), Map.entry("apcn", "prores"), Map.entry("apcs", "prores"),
            Map.entry("apco", "prores"), Map.entry("ap4h", "prores"), Map.entry("ap4x", "prores"),
            Map.entry("jpeg", "mjpeg"), Map.entry("mjpa", "mjpeg"));
    private static final Map<String, String> AUDIO = Map.of(
            "ac-3", "ac3", "ec-3", "eac3", "Opus", "opus", "fLaC", "flac", "alac", "alac",
            "samr", "amr_nb", "sawb", "amr_wb", "sowt", "pcm_s16le", "twos", "pcm_s16be");
    private static final Map<Integer, String> MP4A_OBJECT_TYPES = Map.of(
            0x40, "aac", 0x66, "aac", 0x67, "aac", 0x68, "aac", 0x69, "mp3", 0x6B, "mp3",
            0xA5, "ac3", 0xA6, "eac3", 0xA9, "dts", 0xAD, "opus");

    /** Whether the description holds an entry at all. */
    boolean present() {
        return payload.length >= ENTRY_FIELDS && Bytes.u32(payload, 4) > 0;
    }

    /** The entry's four-character code ({@code avc1}, {@code mp4a}, ...). */
    String code() {
        return Bytes.fourcc(payload, ENTRY + 4);
    }

    /** The coded width of a visual entry; 0 when the kept bytes end before it. */
    int width() {
        return payload.length >= VISUAL_WIDTH + 4 ? Bytes.u16(payload, VISUAL_WIDTH) : 0;
    }

    /** The coded height of a visual entry; 0 when the kept bytes end before it. */
    int height() {
        return payload.length >= VISUAL_WIDTH + 4 ? Bytes.u16(payload, VISUAL_WIDTH + 2) : 0;
    }

    String videoCodec() {
        String code = code();
        return VIDEO.getOrDefault(code, code.strip());
    }

    /** An {@code mp4a} entry is named by its decoder configuration's object type, as ffprobe names it. */
    String audioCodec() {
        String code = code();
        if (!code.equals("mp4a")) {
            return AUDIO.getOrDefault(code, code.strip());
        }
        int entryEnd = (int) Math.min(payload.length, ENTRY + Bytes.u32(payload, ENTRY));
        int version = payload.length >= ENTRY_FIELDS + 2 ? Bytes.u16(payload, ENTRY_FIELDS) : 0;
        int children = AUDIO_CHILDREN + (version == 1 ? 16 : version == 2 ? 36 : 0);
        int objectType = objectType(children, entryEnd);
        // an mp4a entry without a readable decoder configuration is AAC to ffmpeg as well (its tag table's default)
        return objectType < 0 ? "aac" : MP4A_OBJECT_TYPES.getOrDefault(objectType, "mp4a");
    }

    /** The object type in the {@code esds} box among the boxes in [from, to), looking into QuickTime's {@code wave}. */
    private int objectType(int from, int to) {
        for (int at = from; at + 8 <= to; ) {
            long size = Bytes.u32(payload, at);
            if (size < 8 || size > to - at) {
                return -1;
            }
            String type = Bytes.fourcc(payload, at + 4);
            if (type.equals("esds")) {
                return decoderObjectType(at + 12, at + (int) size);
            }
            if (type.equals("wave")) {
                int inside = objectType(at + 8, at + (int) size);
                if (inside >= 0) {
                    return inside;
                }
            }
            at += (int) size;
        }
        return -1;
    }

    /**
     * ISO/IEC 14496-1 §7.2.6.5-6: ES_Descriptor (tag 3: ES_ID, flags, optional fields) holding a
     * DecoderConfigDescriptor (tag 4) whose first byte is the object type; descriptor sizes take 1 to 4 bytes.
     */
    private int decoderObjectType(int at, int end) {
        if (at >= end || (payload[at] & 0xFF) != ES_DESCRIPTOR) {
            return -1;
        }
        at = afterDescriptorSize(at + 1, end) + 2;
        if (at >= end) {
            return -1;
        }
        int flags = payload[at++] & 0xFF;
        if ((flags & 0x80) != 0) {
            at += 2;
        }
        if ((flags & 0x40) != 0 && at < end) {
            at += 1 + (payload[at] & 0xFF);
        }
        if ((flags & 0x20) != 0) {
            at += 2;
        }
        if (at >= end || (payload[at] & 0xFF) != DECODER_CONFIG_DESCRIPTOR) {
            return -1;
        }
        at = afterDescriptorSize(at + 1, end);
        return at < end ? payload[at] & 0xFF : -1;
    }

    private int afterDescriptorSize(int at, int end) {
        for (int i = 0; i < 4 && at < end; i++) {
            if ((payload[at++] & 0x80) == 0) {
                break;
            }
        }
        return at;
    }
}

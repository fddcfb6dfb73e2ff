package dev.sorabatch.fetch;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import org.jcodec.codecs.h264.H264Decoder;
import org.jcodec.codecs.h264.H264Utils;
import org.jcodec.codecs.h264.io.model.SeqParameterSet;
import org.jcodec.common.Codec;
import org.jcodec.common.DemuxerTrackMeta;
import org.jcodec.common.io.FileChannelWrapper;
import org.jcodec.common.model.ColorSpace;
import org.jcodec.common.model.Packet;
import org.jcodec.common.model.Picture;
import org.jcodec.containers.mp4.MP4Util;
import org.jcodec.containers.mp4.boxes.Box;
import org.jcodec.containers.mp4.boxes.Header;
import org.jcodec.containers.mp4.boxes.NodeBox;
import org.jcodec.containers.mp4.boxes.SampleSizesBox;
import org.jcodec.containers.mp4.boxes.VideoSampleEntry;
import org.jcodec.containers.mp4.demuxer.AbstractMP4DemuxerTrack;
import org.jcodec.containers.mp4.demuxer.MP4Demuxer;
import org.jcodec.scale.AWTUtil;

/**
 * The decoding side of {@link PosterFrame}, run in a child JVM of its own: JCodec's parsers trust the counts they
 * read and read zeros past the end of their data, so a parameter set they misread makes them allocate by garbage
 * counts and loop (High 4:4:4's took 50 s and more than 32 MB before this class refused that profile), and only a
 * process can be bounded in time and memory.
 * <p>
 * {@code FirstFrame <mp4> <jpeg> <max width> <max height>}: exit {@value #MADE} with the poster written to
 * {@code <jpeg>}, or {@value #NO_POSTER} with the reason as one line on standard error.
 * <p>
 * What is checked before JCodec reads anything: every top-level box header (a size that would make it walk back or
 * without end), the {@code moov} box's size, the track's codec and H.264 profile, the first key frame's size, and the
 * frame's dimensions.
 */
final class FirstFrame {

    static final int MADE = 0;
    static final int NO_POSTER = 2;

    static final int MAX_TOP_LEVEL_BOXES = 4096;
    static final long MAX_MOOV_BYTES = 16L << 20;
    static final long MAX_SAMPLE_BYTES = 16L << 20;
    /** The largest frame decoded: 4096 x 2304, above 4K UHD and DCI 4K. */
    static final long MAX_PIXELS = 4096L * 2304;
    private static final int MAX_DIMENSION = 8192;
    /** Baseline, Main and High: what H264Decoder accepts (its validateSupportedFeatures). */
    private static final Set<Integer> DECODED_PROFILES = Set.of(66, 77, 100);
    private static final float JPEG_QUALITY = 0.85f;

    private FirstFrame() {
    }

    public static void main(String[] args) {
        if (args.length != 4) {
            System.err.println("usage: FirstFrame <mp4> <jpeg> <max width> <max height>");
            System.exit(NO_POSTER);
        }
        int status;
        try (OutputStream jpeg = Files.newOutputStream(Path.of(args[1]))) {
            make(Path.of(args[0]), jpeg, Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            status = MADE;
        } catch (NoPoster e) {
            System.err.println(e.getMessage());
            status = NO_POSTER;
        } catch (Exception | StackOverflowError e) {
            System.err.println("its first frame could not be read (" + e + ")");
            status = NO_POSTER;
        }
        System.exit(status);
    }

    /** The poster of {@code mp4} as JPEG into {@code jpeg}. */
    static void make(Path mp4, OutputStream jpeg, int maxWidth, int maxHeight) throws IOException, NoPoster {
        writeJpeg(render(mp4, maxWidth, maxHeight), jpeg);
    }

    /** The first key frame, turned as the track's matrix says and fitted into the box (never enlarged). */
    private static BufferedImage render(Path mp4, int maxWidth, int maxHeight) throws IOException, NoPoster {
        try (FileChannelWrapper in = new FileChannelWrapper(FileChannel.open(mp4, StandardOpenOption.READ))) {
            checkTopLevelBoxes(in);
            AbstractMP4DemuxerTrack track = (AbstractMP4DemuxerTrack) MP4Demuxer.createMP4Demuxer(in).getVideoTrack();
            if (track == null) {
                throw new NoPoster("the file has no video track");
            }
            String fourcc = track.getFourcc();
            if (fourcc == null || Codec.codecByFourcc(fourcc) != Codec.H264) {
                throw new NoPoster("its video is '" + fourcc + "'; only H.264 ('avc1') is decoded here");
            }
            int profile = H264Utils.parseAVCC((VideoSampleEntry) track.getSampleEntries()[0]).getProfile();
            if (!DECODED_PROFILES.contains(profile)) {
                throw new NoPoster("its H.264 profile " + profile + " is not Baseline, Main or High");
            }
            DemuxerTrackMeta meta = track.getMeta();
            int[] keyFrames = meta.getSeekFrames();
            if (keyFrames == null || keyFrames.length == 0) {
                throw new NoPoster("the video track has no key frame");
            }
            int first = keyFrames[0];
            checkSampleSize(track, first);
            int[] size = frameSize(meta.getCodecPrivate());
            track.gotoFrame(first);
            Packet sample = track.nextFrame();
            if (sample == null || sample.getData() == null) {
                throw new NoPoster("the first key frame is missing or cut off");
            }
            Picture picture = H264Decoder.createH264DecoderFromCodecPrivate(meta.getCodecPrivate())
                    .decodeFrame(sample.getData(), Picture.create(size[0], size[1], ColorSpace.YUV420).getData());
            if (picture == null) {
                throw new NoPoster("the first key frame holds no picture");
            }
            return fit(AWTUtil.toBufferedImage(picture), meta.getOrientation(), maxWidth, maxHeight);
        }
    }

    /**
     * Every top-level box header, as JCodec walks them all before it reads the {@code moov} box: a damaged size must
     * not make it walk back, without end, or allocate without bound.
     */
    private static void checkTopLevelBoxes(FileChannelWrapper in) throws IOException, NoPoster {
        long size = in.size();
        long offset = 0;
        boolean moov = false;
        for (int boxes = 0; offset < size; boxes++) {
            if (boxes == MAX_TOP_LEVEL_BOXES) {
                throw new NoPoster("more than " + MAX_TOP_LEVEL_BOXES + " top-level boxes");
            }
            in.setPosition(offset);
            MP4Util.Atom atom = MP4Util.atom(in);
            if (atom == null) {
                break;
            }
            Header header = atom.getHeader();
            if (header.getSize() < header.headerSize()) {
                throw new NoPoster("a damaged box header at byte " + offset);
            }
            if (!moov && "moov".equals(header.getFourcc())) {
                if (header.getSize() > MAX_MOOV_BYTES) {
                    throw new NoPoster("its 'moov' box claims " + header.getSize() + " bytes, more than the "
                            + MAX_MOOV_BYTES + " read here");
                }
                if (offset + header.getSize() > size) {
                    throw new NoPoster("its 'moov' box is cut off");
                }
                moov = true;
            }
            offset += header.getSize();
        }
        if (!moov) {
            throw new NoPoster("no 'moov' box: not an MP4 file, or cut off before its index");
        }
    }

    private static void checkSampleSize(AbstractMP4DemuxerTrack track, int frame) throws NoPoster {
        SampleSizesBox stsz = NodeBox.findFirstPath(track.getBox(), SampleSizesBox.class,
                Box.path("mdia.minf.stbl.stsz"));
        int[] sizes = stsz == null ? null : stsz.getSizes();
        if (sizes == null || frame >= sizes.length) {
            throw new NoPoster("the video track lists no size for its first key frame");
        }
        long bytes = Integer.toUnsignedLong(sizes[frame]);
        if (bytes > MAX_SAMPLE_BYTES) {
            throw new NoPoster("its first key frame claims " + bytes + " bytes, more than the " + MAX_SAMPLE_BYTES
                    + " read here");
        }
    }

    /** The decoding buffer's size (whole macroblocks) from the stream's parameter sets, refused when too large. */
    private static int[] frameSize(ByteBuffer codecPrivate) throws NoPoster {
        long width = 0;
        long height = 0;
        for (ByteBuffer sps : H264Utils.getRawSPS(codecPrivate.duplicate())) {
            SeqParameterSet set = SeqParameterSet.read(sps);
            width = Math.max(width, (Integer.toUnsignedLong(set.picWidthInMbsMinus1) + 1) * 16);
            height = Math.max(height, Integer.toUnsignedLong(SeqParameterSet.getPicHeightInMbs(set)) * 16);
        }
        if (width == 0 || height == 0) {
            throw new NoPoster("the video track has no H.264 sequence parameter set");
        }
        if (width > MAX_DIMENSION || height > MAX_DIMENSION || width * height > MAX_PIXELS) {
            throw new NoPoster("its frames are " + width + "x" + height + ", more than the " + MAX_PIXELS
                    + " pixels decoded here");
        }
        return new int[] {(int) width, (int) height};
    }

    /** Scaled to fit the box as displayed, then turned. */
    private static BufferedImage fit(BufferedImage frame, DemuxerTrackMeta.Orientation orientation, int maxWidth,
                                     int maxHeight) {
        boolean sideways = orientation == DemuxerTrackMeta.Orientation.D_90
                || orientation == DemuxerTrackMeta.Orientation.D_270;
        BufferedImage scaled = sideways ? scale(frame, maxHeight, maxWidth) : scale(frame, maxWidth, maxHeight);
        return switch (orientation) {
            case D_90 -> AWTUtil.rotate90ToRight(scaled);
            case D_180 -> AWTUtil.rotate180(scaled);
            case D_270 -> AWTUtil.rotate90ToLeft(scaled);
            default -> scaled;
        };
    }

    /** Bilinear steps of at most a half, so that a large reduction stays smooth rather than aliased. */
    private static BufferedImage scale(BufferedImage image, int boxWidth, int boxHeight) {
        double factor = Math.min(1.0, Math.min((double) boxWidth / image.getWidth(),
                (double) boxHeight / image.getHeight()));
        int width = Math.max(1, (int) Math.round(image.getWidth() * factor));
        int height = Math.max(1, (int) Math.round(image.getHeight() * factor));
        BufferedImage current = image;
        while (current.getWidth() != width || current.getHeight() != height) {
            int stepWidth = Math.max(width, current.getWidth() / 2);
            int stepHeight = Math.max(height, current.getHeight() / 2);
            BufferedImage step = new BufferedImage(stepWidth, stepHeight, BufferedImage.TYPE_INT_RGB);
            Graphics2D graphics = step.createGraphics();
            try {
                graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION,
                        RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                graphics.drawImage(current, 0, 0, stepWidth, stepHeight, null);
            } finally {
                graphics.dispose();
            }
            current = step;
        }
        return current;
    }

    private static void writeJpeg(BufferedImage image, OutputStream target) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        // in memory: ImageIO's default cache would write temporary files
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(target)) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(JPEG_QUALITY);
            writer.setOutput(out);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
    }

    /** Why a file gives no poster, in words for the log. */
    static final class NoPoster extends Exception {
        NoPoster(String reason) {
            super(reason, null, false, false);
        }
    }
}

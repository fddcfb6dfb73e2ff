package dev.sorabatch.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Random;

/**
 * The downloadable variants of a completed video. The fixtures under {@code src/main/resources/simulator/} were
 * made with ffmpeg 5.1:
 * <pre>
 * ffmpeg -f lavfi -i testsrc2=size=160x90:rate=10:duration=1 -f lavfi -i sine=frequency=440:sample_rate=22050:duration=1 \
 *   -c:v libx264 -preset veryslow -crf 35 -pix_fmt yuv420p -c:a aac -b:a 24k -ac 1 -movflags +faststart \
 *   -map_metadata -1 -fflags +bitexact -flags:v +bitexact -flags:a +bitexact sample.mp4
 * ffmpeg -ss 0.5 -i sample.mp4 -frames:v 1 -c:v libwebp -quality 50 -map_metadata -1 -fflags +bitexact thumbnail.webp
 * ffmpeg -i sample.mp4 -vf "fps=5,scale=80:45,tile=5x1" -frames:v 1 -q:v 8 -map_metadata -1 -fflags +bitexact \
 *   -flags:v +bitexact spritesheet.jpg
 * </pre>
 */
public enum Asset {
    VIDEO("video/mp4", "sample.mp4"),
    THUMBNAIL("image/webp", "thumbnail.webp"),
    SPRITESHEET("image/jpeg", "spritesheet.jpg");

    /** Filler after the fixture in large mode: fixed so that every download, and its digest, is identical. */
    private static final byte[] FILLER = new byte[64 * 1024];

    static {
        new Random(42).nextBytes(FILLER);
    }

    private final String contentType;
    private final byte[] fixture;

    Asset(String contentType, String resource) {
        this.contentType = contentType;
        this.fixture = load(resource);
    }

    private static byte[] load(String resource) {
        try (InputStream in = Asset.class.getResourceAsStream("/simulator/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("Missing fixture /simulator/" + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The variant named by the {@code variant} query parameter, or null if there is none by that name. */
    static Asset fromWire(String variant) {
        for (Asset asset : values()) {
            if (asset.wire().equals(variant)) {
                return asset;
            }
        }
        return null;
    }

    String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    String contentType() {
        return contentType;
    }

    /**
     * What a download returns; {@code largeVideoBytes > 0} turns the video into a synthetic body of that size, and
     * {@code video} (null for none) replaces the built-in clip.
     */
    Body body(long largeVideoBytes, byte[] video) {
        byte[] head = this == VIDEO && video != null ? video : fixture;
        return this == VIDEO && largeVideoBytes > 0 ? new Body(head, largeVideoBytes) : new Body(head, head.length);
    }

    /** The first {@code length} bytes of the fixture followed by endless filler; never held in memory beyond both. */
    record Body(byte[] head, long length) {

        void writeTo(OutputStream out) throws IOException {
            int fromHead = (int) Math.min(head.length, length);
            out.write(head, 0, fromHead);
            for (long left = length - fromHead; left > 0; left -= FILLER.length) {
                out.write(FILLER, 0, (int) Math.min(FILLER.length, left));
            }
        }

        String sha256() {
            try {
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                writeTo(new DigestOutputStream(OutputStream.nullOutputStream(), digest));
                return HexFormat.of().formatHex(digest.digest());
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}

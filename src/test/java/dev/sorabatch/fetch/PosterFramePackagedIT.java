package dev.sorabatch.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/**
 * Posters as the pipeline makes them when it runs from the packaged jar: the decoder's JVM has the jar alone on its
 * class path, so JCodec and the image codecs must have been shaded into it whole.
 */
class PosterFramePackagedIT {

    @Test
    void theDecoderRunsFromThePackagedJarAlone() {
        String jar = Path.of(System.getProperty("sora.jar", "target/sora-batch.jar")).toAbsolutePath().toString();
        PosterFrame posters = new PosterFrame(640, 640, PosterFrame.DEFAULT_TIME_LIMIT, PosterFrame.DECODER_HEAP_MB,
                jar);

        PosterFrame.Attempt made = posters.attempt(Path.of("src/main/resources/simulator/sample.mp4"));
        PosterFrame.Attempt refused = posters.attempt(Path.of("src/test/resources/poster/hevc.mp4"));

        assertThat(made.reason()).isNull();
        assertThat(made.poster().width()).isEqualTo(160);
        assertThat(made.poster().height()).isEqualTo(90);
        assertThat(refused.reason()).isEqualTo("its video is 'hvc1'; only H.264 ('avc1') is decoded here");
    }
}

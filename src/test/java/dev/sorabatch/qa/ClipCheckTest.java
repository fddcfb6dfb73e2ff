package dev.sorabatch.qa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sorabatch.qa.ClipCheck.Code;
import dev.sorabatch.qa.ClipCheck.Expected;
import dev.sorabatch.qa.ClipCheck.Flag;

class ClipCheckTest {

    private static final Expected EIGHT_SECONDS_LANDSCAPE = Expected.of(8, 1280, 720, true);

    @Test
    void aClipAsAskedHasNoFlags() {
        assertThat(ClipCheck.DEFAULT.check(clip(8_040, 1280, 720, 0, true), EIGHT_SECONDS_LANDSCAPE)).isEmpty();
    }

    @ParameterizedTest(name = "{0} ms")
    @CsvSource({"4000, '8.0 s asked, 4.0 s delivered'", "8501, '8.0 s asked, 8.501 s delivered'",
            "7440, '8.0 s asked, 7.44 s delivered'", "12000, '8.0 s asked, 12.0 s delivered'"})
    void aLengthOffByMoreThanHalfASecondIsFlagged(long millis, String message) {
        assertThat(ClipCheck.DEFAULT.check(clip(millis, 1280, 720, 0, true), EIGHT_SECONDS_LANDSCAPE))
                .containsExactly(new Flag(Code.DURATION_MISMATCH, message));
    }

    @Test
    void lengthsWithinTheToleranceAndAClipWithoutOneAreTold() {
        assertThat(ClipCheck.DEFAULT.check(clip(8_500, 1280, 720, 0, true), EIGHT_SECONDS_LANDSCAPE)).isEmpty();
        assertThat(ClipCheck.DEFAULT.check(clip(7_500, 1280, 720, 0, true), EIGHT_SECONDS_LANDSCAPE)).isEmpty();
        ClipFacts noLength = new ClipFacts(Optional.empty(), 1280, 720, 0, Optional.of("h264"), Optional.of("aac"),
                false, Optional.empty());
        assertThat(ClipCheck.DEFAULT.check(noLength, EIGHT_SECONDS_LANDSCAPE))
                .containsExactly(new Flag(Code.DURATION_MISMATCH, "8.0 s asked, the file states no length"));
        ClipCheck strict = new ClipCheck(Duration.ofMillis(100), 0);
        assertThat(strict.check(clip(8_200, 1280, 720, 0, true), EIGHT_SECONDS_LANDSCAPE)).extracting(Flag::code)
                .containsExactly(Code.DURATION_MISMATCH);
    }

    /** The size rule: each shown side within 5 % of the asked one. */
    @ParameterizedTest(name = "{0}x{1} turned {2} for {3}x{4}: {5}")
    @CsvSource({
            "1280, 720,  0,  1280, 720,  true",  // as asked
            "1248, 704,  0,  1280, 720,  true",  // a provider's rounding to 16 pixels
            "832,  480,  0,  854,  480,  true",  // 16:9 480p as some providers make it
            "1280, 720,  90, 720,  1280, true",  // stored landscape, shown portrait
            "720,  1280, 0,  1280, 720,  false", // the other orientation
            "1920, 1080, 0,  1280, 720,  false", // same aspect ratio, another resolution
            "854,  480,  0,  1280, 720,  false",
            "960,  960,  0,  1280, 720,  false", // another aspect ratio
            "1280, 720,  90, 1280, 720,  false", // turned away from what was asked
    })
    void theShownFrameIsComparedSideBySide(int width, int height, int rotation, int askedWidth, int askedHeight,
                                           boolean accepted) {
        List<Flag> flags = ClipCheck.DEFAULT.check(clip(8_000, width, height, rotation, true),
                Expected.of(8, askedWidth, askedHeight, true));
        assertThat(flags.isEmpty()).isEqualTo(accepted);
        flags.forEach(flag -> assertThat(flag.code()).isEqualTo(Code.SIZE_MISMATCH));
    }

    @Test
    void sizeMessagesSayWhatWasShownAndStored() {
        assertThat(ClipCheck.DEFAULT.check(clip(8_000, 1920, 1080, 0, true), EIGHT_SECONDS_LANDSCAPE))
                .containsExactly(new Flag(Code.SIZE_MISMATCH, "1280x720 asked, 1920x1080 delivered"));
        assertThat(ClipCheck.DEFAULT.check(clip(8_000, 1280, 720, 90, true), EIGHT_SECONDS_LANDSCAPE))
                .containsExactly(new Flag(Code.SIZE_MISMATCH,
                        "1280x720 asked, 720x1280 delivered (stored 1280x720, turned 90°)"));
    }

    @Test
    void aMissingSoundTrackIsFlaggedOnlyWhereTheModelPromisesSound() {
        assertThat(ClipCheck.DEFAULT.check(clip(8_000, 1280, 720, 0, false), EIGHT_SECONDS_LANDSCAPE))
                .containsExactly(new Flag(Code.AUDIO_MISSING, "the model promises sound; the file has no sound track"));
        assertThat(ClipCheck.DEFAULT.check(clip(8_000, 1280, 720, 0, false), Expected.of(8, 1280, 720, false)))
                .isEmpty();
        assertThat(ClipCheck.DEFAULT.check(clip(8_000, 1280, 720, 0, true), Expected.of(8, 1280, 720, false)))
                .as("sound from a silent model is not a fault").isEmpty();
    }

    /** Real files: a silent clip from a model that promises sound, a clip without video. */
    @Test
    void realClipsAreFlaggedForWhatTheyLack() throws IOException {
        ClipFacts silent = Mp4Probe.probe(Mp4ProbeTest.fixture("/poster/baseline.mp4"));
        assertThat(ClipCheck.DEFAULT.check(silent, new Expected(Duration.ofMillis(300), 160, 90, true)))
                .extracting(Flag::code).containsExactly(Code.AUDIO_MISSING);
        assertThat(ClipCheck.DEFAULT.check(silent, new Expected(Duration.ofMillis(300), 160, 90, false))).isEmpty();

        ClipFacts soundOnly = Mp4Probe.probe(Mp4ProbeTest.fixture("/poster/audio-only.mp4"));
        assertThat(ClipCheck.DEFAULT.check(soundOnly, Expected.of(1, 160, 90, true)))
                .containsExactly(new Flag(Code.NO_VIDEO_TRACK, "the file has no video track"));
    }

    @Test
    void anUnreadableFileGetsThatFlagAloneAndACutOneIsToldSo() {
        assertThat(ClipCheck.DEFAULT.check(ClipFacts.unreadable("no 'moov' box"), EIGHT_SECONDS_LANDSCAPE))
                .containsExactly(new Flag(Code.UNREADABLE, "the file could not be read: no 'moov' box"));
        ClipFacts cut = new ClipFacts(Optional.of(Duration.ofSeconds(8)), 1280, 720, 0, Optional.of("h264"),
                Optional.of("aac"), true, Optional.empty());
        assertThat(ClipCheck.DEFAULT.check(cut, EIGHT_SECONDS_LANDSCAPE)).extracting(Flag::code)
                .containsExactly(Code.TRUNCATED);
    }

    @Test
    void flagsAreWrittenWithSnakeCaseCodes() throws Exception {
        Flag flag = new Flag(Code.DURATION_MISMATCH, "8.0 s asked, 4.0 s delivered");
        assertThat(new ObjectMapper().writeValueAsString(flag))
                .isEqualTo("{\"code\":\"duration_mismatch\",\"message\":\"8.0 s asked, 4.0 s delivered\"}");
    }

    @Test
    void nonsenseExpectationsAndTolerancesAreRefused() {
        assertThatThrownBy(() -> Expected.of(8, 0, 720, true)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ClipCheck(Duration.ofSeconds(-1), 0.05)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ClipCheck(Duration.ZERO, 1.5)).isInstanceOf(IllegalArgumentException.class);
    }

    private static ClipFacts clip(long millis, int width, int height, int rotation, boolean sound) {
        return new ClipFacts(Optional.of(Duration.ofMillis(millis)), width, height, rotation, Optional.of("h264"),
                sound ? Optional.of("aac") : Optional.empty(), false, Optional.empty());
    }
}

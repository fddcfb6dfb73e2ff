package dev.sorabatch.catalog;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class FrameTest {

    @ParameterizedTest(name = "{0} is {1} {2}")
    @CsvSource({
            "1280x720, 16:9, 720p", "720x1280, 9:16, 720p", "1920x1080, 16:9, 1080p", "1080x1920, 9:16, 1080p",
            "960x540, 16:9, 540p", "540x960, 9:16, 540p", "854x480, 16:9, 480p", "3840x2160, 16:9, 4k",
            "960x960, 1:1, 720p", "1440x1440, 1:1, 1080p", "720x720, 1:1, 540p",
            "1104x832, 4:3, 720p", "1584x672, 21:9, 720p", "1792x1024, 7:4, 1024p", "1024x1792, 4:7, 1024p",
            // not named by a vendor: the reduced ratio at the short side, and back
            "720x540, 4:3, 540p", "1260x540, 21:9, 540p", "720x1680, 9:21, 720p"})
    void mapsSizesAndAspectRatiosBothWays(String size, String aspectRatio, String resolution) {
        Frame bySize = Frame.ofSize(size).orElseThrow();
        Frame byAspect = Frame.of(aspectRatio, resolution).orElseThrow();

        assertThat(bySize).isEqualTo(byAspect);
        assertThat(bySize.aspectRatio()).isEqualTo(aspectRatio);
        assertThat(bySize.resolution()).isEqualTo(resolution);
        assertThat(byAspect.size()).isEqualTo(size);
    }

    @ParameterizedTest
    @CsvSource({"' 1280X720 ', 1280x720, 1280:720", "640x480, 640x480, 640:480"})
    void readsSizesInAnyCaseAndWritesBothForms(String given, String size, String ratio) {
        Frame frame = Frame.ofSize(given).orElseThrow();

        assertThat(frame.size()).isEqualTo(size);
        assertThat(frame.ratio()).isEqualTo(ratio);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1280", "1280x", "x720", "0x720", "1280*720", "-1280x720", "1280x720x3", "123456x1"})
    void refusesWhatIsNotASize(String text) {
        assertThat(Frame.ofSize(text)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"16/9, 720p", "16:9, 720", "16:9, hd", "0:9, 720p", "16:9, 0p"})
    void refusesWhatIsNotAnAspectRatioAndResolution(String aspectRatio, String resolution) {
        assertThat(Frame.of(aspectRatio, resolution)).isEmpty();
    }
}

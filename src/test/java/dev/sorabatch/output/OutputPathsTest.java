package dev.sorabatch.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OutputPathsTest {

    @ParameterizedTest
    @CsvSource({
            "b1, videos/x.mp4, b1/videos/x.mp4",
            "b1, manifest.json, b1/manifest.json",
            "my-batch_2, thumbnails/a..b.webp, my-batch_2/thumbnails/a..b.webp",
            "b1, videos/with space é.mp4, b1/videos/with space é.mp4"})
    void keepsPlainPaths(String batch, String relativePath, String expected) {
        assertThat(OutputPaths.inBatch(batch, relativePath)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "b1 | ../b2/videos/x.mp4",
            "b1 | videos/../../x.mp4",
            "b1 | videos/../x.mp4",
            "b1 | /etc/passwd",
            "b1 | videos//x.mp4",
            "b1 | ./x.mp4",
            "b1 | videos/",
            "b1 | ..\\b2\\x.mp4",
            "b1 | ''",
            ".. | x.mp4",
            ". | x.mp4",
            "a/b | x.mp4",
            "'' | x.mp4"})
    void rejectsPathsThatLeaveTheBatch(String batch, String relativePath) {
        assertThatThrownBy(() -> OutputPaths.inBatch(batch, relativePath))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("escapes the batch folder");
    }
}

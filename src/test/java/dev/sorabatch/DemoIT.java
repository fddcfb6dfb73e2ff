package dev.sorabatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.drew.imaging.ImageMetadataReader;
import com.drew.metadata.Metadata;
import com.drew.metadata.mp4.media.Mp4SoundDirectory;
import com.drew.metadata.mp4.media.Mp4VideoDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's demo: the packaged jar, no settings at all, the example prompt file, once mode. */
class DemoIT {

    @Test
    void demoOnEmbeddedDefaultsProducesVideosWithSoundAndAManifest(@TempDir Path dir) throws Exception {
        Path inbox = Files.createDirectories(dir.resolve("data/inbox"));
        Files.copy(Path.of("examples/prompts.csv"), inbox.resolve("prompts.csv"));
        Path log = dir.resolve("demo.log");

        Process demo = ChildPipeline.start(dir, Map.of("sora.once", "true"), log);

        assertThat(demo.waitFor(3, TimeUnit.MINUTES)).isTrue();
        assertThat(demo.exitValue()).as(Files.readString(log)).isZero();
        assertThat(Files.readString(log)).contains("manifest: " + dir.resolve("data/outbox/prompts/manifest.json"))
                .contains("gallery: " + dir.resolve("data/outbox/prompts/index.html"));
        assertThat(dir.resolve("data/outbox/prompts/index.html")).exists();
        List<Path> videos;
        try (Stream<Path> files = Files.list(dir.resolve("data/outbox/prompts/videos"))) {
            videos = files.toList();
        }
        assertThat(videos).hasSize(4); // three rows, one of them with two takes
        for (Path video : videos) {
            Metadata metadata = ImageMetadataReader.readMetadata(video.toFile());
            assertThat(metadata.getFirstDirectoryOfType(Mp4VideoDirectory.class)).as("video track of %s", video).isNotNull();
            assertThat(metadata.getFirstDirectoryOfType(Mp4SoundDirectory.class)).as("audio track of %s", video).isNotNull();
        }
        assertThat(dir.resolve("data/done/prompts.csv")).exists();
    }
}

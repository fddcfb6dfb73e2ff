package dev.sorabatch.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import dev.sorabatch.aws.AwsClients;
import dev.sorabatch.aws.TestAws;
import dev.sorabatch.settings.SettingException;
import dev.sorabatch.settings.Settings;

/** sora.gallery.link-expiry: relative links by default, pre-signed ones of a set expiry for a private bucket. */
class GallerySettingsTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void emptyGivesRelativeLinks() {
        GalleryLinks links = settings("").links(null, CLOCK).apply("shots");
        assertThat(links.href("videos/a b.mp4")).isEqualTo("./videos/a%20b.mp4");
        assertThat(links.expiresAt()).isEmpty();
    }

    @Test
    void anExpiryGivesLinksSignedByTheSdkThatEndWhenThePageSays() {
        TestAws.useTestCredentials();
        try (S3Presigner presigner = new AwsClients("us-east-1", "https://s3.example.test", "", true).presigner()) {
            GalleryLinks links = settings("2h").links((batch, path, validFor) -> URI.create(presigner.presignGetObject(
                    r -> r.signatureDuration(validFor).getObjectRequest(g -> g.bucket("private").key("out/" + batch
                            + "/" + path))).url().toString()), CLOCK).apply("shots");
            String href = links.href("videos/a.mp4");
            assertThat(href).startsWith("https://s3.example.test/private/out/shots/videos/a.mp4?")
                    .contains("X-Amz-Expires=7200", "X-Amz-Signature=");
            assertThat(links.expiresAt()).contains(Instant.parse("2026-12-01T12:00:00Z"));
        }
    }

    @Test
    void anExpiryNeedsABucketAndAtMostSevenDays() {
        assertThatThrownBy(() -> settings("1h").links(null, CLOCK)).isInstanceOf(SettingException.class)
                .hasMessageContaining("sora.gallery.link-expiry").hasMessageContaining("bucket output");
        assertThatThrownBy(() -> settings("8d")).isInstanceOf(SettingException.class)
                .hasMessageContaining("at most 7d");
    }

    private static GallerySettings settings(String expiry) {
        return GallerySettings.from(new Settings(key -> Optional.ofNullable(Map.of("sora.gallery.link-expiry", expiry)
                .get(key))));
    }
}

package dev.sorabatch.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import dev.sorabatch.output.FolderOutputStore;
import dev.sorabatch.output.StoredObject;

/** The page as written, read back with an HTML parser (the browser's view is {@link GalleryBrowserIT}). */
class GalleryWriterTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    @Test
    void oneCardPerItemWithItsStatusAndEveryHostileTextAsText() throws IOException {
        Document page = Jsoup.parse(write(GalleryFixture.batch(temp), GalleryLinks.relative()));

        List<Element> cards = page.select("main article.card");
        assertThat(cards).hasSize(GalleryFixture.ROWS.size());
        for (int i = 0; i < cards.size(); i++) {
            GalleryFixture.Row row = GalleryFixture.ROWS.get(i);
            assertThat(cards.get(i).hasClass("s-" + row.status())).as(row.id()).isTrue();
            assertThat(cards.get(i).selectFirst(".badge").text()).isEqualTo(row.status());
            assertThat(cards.get(i).selectFirst(".prompt").wholeText()).isEqualTo(row.prompt());
        }
        assertThat(page.select("script, [onerror], [onload], img[src=x], style")).hasSize(1); // the page's own style
        assertThat(page.select("head > style")).hasSize(1);
        assertThat(cards.get(2).selectFirst(".error").text()).isEqualTo("moderation_blocked " + GalleryFixture.SVG_ONLOAD);
        assertThat(cards.get(0).selectFirst("pre").text()).contains(GalleryFixture.IMG_ONERROR);
    }

    @Test
    void storedItemsGetALazyVideoWithTheirPosterByRelativeLinks() throws IOException {
        Document page = Jsoup.parse(write(GalleryFixture.batch(temp), GalleryLinks.relative()));

        Element video = page.selectFirst("#i0 video");
        assertThat(video.attr("preload")).isEqualTo("none");
        assertThat(video.hasAttr("controls")).isTrue();
        assertThat(video.attr("src")).isEqualTo("./videos/city-rain-take1.mp4");
        assertThat(video.attr("poster")).isEqualTo("./thumbnails/city-rain-take1.jpg");
        assertThat(page.select("main video")).hasSize(4);
        assertThat(page.selectFirst("#i2 .media").text()).isEqualTo("no video");
        assertThat(page.selectFirst("#i3").select(".flag").eachText()).containsExactly("no_audio");
        assertThat(page.selectFirst("#i3 .facts").text()).contains("audio true", "cost $0.80",
                "qa duration 8.0 · width 1280 · height 720 · codec avc1 · audio false");
    }

    @Test
    void aPageWithMoreVideosThanBrowsersSetUpQuicklyLinksEachPosterToItsVideoInstead() throws IOException {
        List<ObjectNode> items = new ArrayList<>();
        for (int i = 0; i <= GalleryCard.INLINE_VIDEOS; i++) {
            items.add(item("v" + i, "stored").put("video", "videos/v" + i + ".mp4").put("thumbnail", "thumbnails/v" + i + ".jpg"));
        }
        items.set(1, item("v1", "stored").put("video", "videos/v1.mp4"));
        items.add(item("f", "failed").put("video", "videos/f.mp4").put("thumbnail", "thumbnails/f.jpg"));

        Document page = Jsoup.parse(write(manifest(items.toArray(ObjectNode[]::new)), GalleryLinks.relative()));

        assertThat(page.select("main .card")).hasSize(GalleryCard.INLINE_VIDEOS + 2);
        assertThat(page.select("video")).isEmpty();
        Element poster = page.selectFirst("#i0 .media a");
        assertThat(poster.attr("href")).isEqualTo("./videos/v0.mp4");
        assertThat(poster.selectFirst("img").attr("src")).isEqualTo("./thumbnails/v0.jpg");
        assertThat(poster.selectFirst("img").attr("loading")).isEqualTo("lazy");
        assertThat(page.selectFirst("#i1 .media a").text()).isEqualTo("play video");
        Element failed = page.selectFirst("#i" + (GalleryCard.INLINE_VIDEOS + 1) + " .media");
        assertThat(failed.select("a")).isEmpty();
        assertThat(failed.selectFirst("img").attr("src")).isEqualTo("./thumbnails/f.jpg");
    }

    @Test
    void theStyleBlockIsTheOnlyStyleThePolicyAdmitsAndNoScriptIsAdmitted() throws Exception {
        Document page = Jsoup.parse(write(GalleryFixture.batch(temp), GalleryLinks.relative()));

        String policy = page.selectFirst("meta[http-equiv=Content-Security-Policy]").attr("content");
        String style = page.selectFirst("head > style").data();
        String hash = Base64.getEncoder().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(style.getBytes(StandardCharsets.UTF_8)));
        assertThat(policy).contains("default-src 'none'", "script-src 'none'", "style-src 'sha256-" + hash + "'",
                "img-src 'self'", "media-src 'self'", "base-uri 'none'");
    }

    @Test
    void theTimelineHasABarPerJobSentAndNoTwoBarsInOneLaneOverlap() throws IOException {
        Document page = Jsoup.parse(write(GalleryFixture.batch(temp), GalleryLinks.relative()));

        List<Element> bars = page.select("section.timeline svg rect.bar");
        assertThat(bars).hasSize((int) GalleryFixture.sent());
        for (Element a : bars) {
            for (Element b : bars) {
                if (a != b && a.attr("y").equals(b.attr("y"))) {
                    assertThat(x(a) + width(a) <= x(b) + 0.01 || x(b) + width(b) <= x(a) + 0.01)
                            .as("%s and %s share a lane", a.text(), b.text()).isTrue();
                }
            }
        }
        assertThat(bars.stream().map(b -> b.attr("y")).distinct()).hasSize(3);
        assertThat(page.selectFirst("#tl-cap").text())
                .startsWith("6 jobs at the provider from 2026-11-25 20:48:57 UTC for 1m34s: peak 3 in flight");
        assertThat(page.selectFirst("a:has(rect.s-failed)").attr("href")).isEqualTo("#i2");
    }

    @Test
    void theHeaderShowsSpendAgainstTheBudgetAndWhatADryRunPlans() throws IOException {
        Path manifest = temp.resolve("spend.json");
        Files.writeString(manifest, "{\"batch_id\":\"b\",\"spend\":{\"spent_usd\":1.2,\"planned_usd\":10.0,"
                + "\"budget_per_batch_usd\":1.2},\"items\":[]}");

        Document page = Jsoup.parse(write(manifest, GalleryLinks.relative()));

        assertThat(page.select("dl.stats div").eachText()).contains("budget $1.20 of $1.20", "planned spend $10.00");
    }

    @Test
    void aFlagAsThePipelineWritesItShowsItsCodeAndItsSentence() throws IOException {
        ObjectNode item = item("a", "stored");
        item.putObject("qa").put("passed", false).putArray("flags").addObject().put("code", "audio_missing")
                .put("message", "the model promises sound; the file has no sound track <b>");

        Document page = Jsoup.parse(write(manifest(item), GalleryLinks.relative()));

        assertThat(page.selectFirst("#i0 .flag").text()).isEqualTo("audio_missing");
        assertThat(page.selectFirst("#i0 .flag").attr("title"))
                .isEqualTo("the model promises sound; the file has no sound track <b>");
    }

    @Test
    void linksThatWouldLeaveTheBatchFolderAreWithheld() throws IOException {
        Path manifest = manifest(item("a", "stored").put("video", "../other-batch/videos/a.mp4"),
                item("b", "stored").put("video", "videos/b.mp4").put("thumbnail", "/etc/passwd"),
                item("c", "stored").put("video", "videos\\..\\..\\c.mp4"),
                item("d", "stored").put("video", "videos/d e#?%.mp4"),
                item("e", "stored").put("video", "javascript:alert(1)"));

        Document page = Jsoup.parse(write(manifest, GalleryLinks.relative()));

        assertThat(page.select("#i0 video, #i1 video, #i1 img, #i2 video")).isEmpty();
        assertThat(page.selectFirst("#i0 .media").text())
                .isEqualTo("link withheld: path leaves the batch folder: ../other-batch/videos/a.mp4");
        assertThat(page.selectFirst("#i3 video").attr("src")).isEqualTo("./videos/d%20e%23%3F%25.mp4");
        assertThat(page.selectFirst("#i4 video").attr("src")).isEqualTo("./javascript%3Aalert%281%29");
    }

    @Test
    void statusesToComeGetTheirOwnFilterAndAnUnreadableStatusIsOther() throws IOException {
        Path manifest = manifest(item("a", "planned").put("cost_usd", 0.005), item("b", "quarantined"),
                item("c", "<b>x</b>"), item("d", "all"), item("e", null));

        Document page = Jsoup.parse(write(manifest, GalleryLinks.relative()));

        assertThat(page.select("input.f").eachAttr("id"))
                .containsExactly("f-all", "f-planned", "f-other", "f-quarantined");
        assertThat(page.select("nav.filters label").eachText())
                .containsExactly("all5", "planned1", "other3", "quarantined1");
        assertThat(page.select("main .card").eachAttr("class")).containsExactly("card s-planned", "card s-quarantined",
                "card s-other", "card s-other", "card s-other");
        assertThat(page.selectFirst("#i2 .badge").text()).isEqualTo("<b>x</b>");
        assertThat(page.selectFirst("#i0 .facts").text()).contains("cost $0.005");
        assertThat(page.select("section.timeline svg").text()).isEqualTo("No job reached the provider.");
    }

    @Test
    void presignedLinksComeFromTheCallersSignerAndMustBeHttps() throws Exception {
        Path manifest = GalleryFixture.batch(temp);
        Instant expires = Instant.parse("2026-11-26T20:50:00Z");
        try (S3Presigner presigner = S3Presigner.builder().region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
                .build()) {
            GalleryLinks links = GalleryLinks.presigned(path -> uri(presigner.presignGetObject(r -> r
                    .signatureDuration(Duration.ofHours(24))
                    .getObjectRequest(o -> o.bucket("private-out").key("batches/prompts/" + path))).url()), expires);

            Document page = Jsoup.parse(write(manifest, links));

            assertThat(page.selectFirst("#i0 video").attr("src"))
                    .startsWith("https://private-out.s3.eu-west-1.amazonaws.com/batches/prompts/videos/city-rain-take1.mp4?")
                    .contains("X-Amz-Expires=86400", "X-Amz-Signature=");
            assertThat(page.selectFirst("meta[http-equiv=Content-Security-Policy]").attr("content"))
                    .contains("img-src https:", "media-src https:");
            assertThat(page.selectFirst("footer").text()).contains("work until 2026-11-26 20:50:00 UTC");
        }
        GalleryLinks plain = GalleryLinks.presigned(path -> URI.create("http://bucket.example/" + path), expires);
        assertThatThrownBy(() -> plain.href("videos/a.mp4")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the signer gave no https URL for videos/a.mp4");
        assertThatThrownBy(() -> plain.href("../a.mp4")).hasMessage("path leaves the batch folder: ../a.mp4");
    }

    @Test
    void publishStoresThePageBesideTheManifestInTheBatchFolderAndLeavesNoTempFile() throws Exception {
        Path manifest = GalleryFixture.batch(temp.resolve("out/prompts"));
        Path scratch = temp.resolve("tmp");

        StoredObject stored = new GalleryWriter().publish(manifest, GalleryLinks.relative(),
                new FolderOutputStore(temp.resolve("out")), "prompts", scratch);

        Path page = temp.resolve("out/prompts/index.html");
        assertThat(stored.path()).isEqualTo("index.html");
        assertThat(stored.bytes()).isEqualTo(Files.size(page));
        assertThat(stored.sha256()).isEqualTo(HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(page))));
        assertThat(Jsoup.parse(page.toFile()).select("main .card")).hasSize(GalleryFixture.ROWS.size());
        try (var left = Files.list(scratch)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void aFileThatIsNotAManifestIsRefusedWithItsName() throws IOException {
        Path bad = temp.resolve("manifest.json");
        Files.writeString(bad, "{\"batch_id\": \"b\", \"items\": {\"id\": 1}}");

        assertThatThrownBy(() -> write(bad, GalleryLinks.relative())).isInstanceOf(IOException.class)
                .hasMessage(bad + " has no array of items");
    }

    private static String write(Path manifest, GalleryLinks links) throws IOException {
        Path page = manifest.resolveSibling(GalleryWriter.FILE_NAME);
        try (OutputStream out = Files.newOutputStream(page)) {
            new GalleryWriter().write(manifest, links, out);
        }
        return Files.readString(page);
    }

    private ObjectNode item(String id, String status) {
        return JSON.createObjectNode().put("id", id).put("status", status);
    }

    private Path manifest(ObjectNode... items) throws IOException {
        ObjectNode m = JSON.createObjectNode().put("batch_id", "b");
        m.putArray("items").addAll(new ArrayList<>(List.of(items)));
        Path file = temp.resolve("manifest.json");
        JSON.writeValue(file.toFile(), m);
        return file;
    }

    private static double x(Element bar) {
        return Double.parseDouble(bar.attr("x"));
    }

    private static double width(Element bar) {
        return Double.parseDouble(bar.attr("width"));
    }

    private static URI uri(java.net.URL url) {
        try {
            return url.toURI();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }
}

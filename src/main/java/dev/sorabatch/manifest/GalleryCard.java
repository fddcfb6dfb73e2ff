package dev.sorabatch.manifest;

import static dev.sorabatch.manifest.GalleryManifest.instant;
import static dev.sorabatch.manifest.GalleryManifest.number;
import static dev.sorabatch.manifest.GalleryManifest.text;

import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.owasp.encoder.Encode;

/**
 * One item's card: the video with its poster when it was stored (else the thumbnail, if any), then what was asked,
 * what came of it and what it cost. Fields the item lacks are left out; every text is escaped.
 * <p>
 * A browser sets up a player for every {@code <video>} element as the page loads, poster and all, even with
 * {@code preload="none"} (about 2.5 ms each in headless Chromium on 2 cores: 25 s for 10,000 cards). So a page plays
 * its videos in place only up to {@link #INLINE_VIDEOS}; a larger one shows each poster as a lazy image that opens
 * its video, and loads only the posters in view.
 */
final class GalleryCard {

    static final int INLINE_VIDEOS = 1000;

    private final GalleryLinks links;
    private final boolean inlineVideos;

    /** @param storedVideos how many of the page's items have a stored video */
    GalleryCard(GalleryLinks links, int storedVideos) {
        this.links = links;
        this.inlineVideos = storedVideos <= INLINE_VIDEOS;
    }

    /**
     * @param card   the card's number on the page (its anchor, {@code #i<card>}, is what timeline bars link to)
     * @param status the item's status as a class name ({@link GalleryWriter#statusKey})
     */
    void write(Writer out, int card, JsonNode item, String status) throws IOException {
        out.write("<article class=\"card s-" + status + "\" id=\"i" + card + "\"><div class=\"media\">");
        writeMedia(out, item, status);
        out.write("</div><div class=\"body\"><h2>");
        out.write(html(text(item, "id")));
        List<String> place = new ArrayList<>();
        if (text(item, "row") != null) {
            place.add("row " + text(item, "row"));
        }
        if (text(item, "take") != null) {
            place.add("take " + text(item, "take"));
        }
        if (!place.isEmpty()) {
            out.write(" <span>" + html(String.join(" · ", place)) + "</span>");
        }
        out.write("</h2><p><span class=\"badge\">" + html(text(item, "status")) + "</span>");
        JsonNode qa = item.path("qa");
        for (JsonNode flag : qa.path("flags")) {
            // the pipeline writes {"code", "message"}: the code on the badge, the sentence when pointed at
            String message = flag.isObject() ? text(flag, "message") : null;
            String code = flag.isObject() && text(flag, "code") != null ? text(flag, "code")
                    : flag.isValueNode() ? flag.asText() : flag.toString();
            out.write("<span class=\"flag\"" + (message == null ? "" : " title=\"" + attribute(message) + "\"") + ">"
                    + html(code) + "</span>");
        }
        out.write("</p>");
        if (text(item, "prompt") != null) {
            out.write("<p class=\"prompt\">" + html(text(item, "prompt")) + "</p>");
        }
        JsonNode error = item.path("error");
        if (error.isObject()) {
            out.write("<p class=\"error\"><b>" + html(text(error, "code")) + "</b> " + html(text(error, "message")) + "</p>");
        }
        out.write("<dl class=\"facts\">");
        fact(out, "asked", joined(text(item, "model"), text(item, "size"),
                text(item, "seconds") == null ? null : text(item, "seconds") + " s",
                text(item, "audio") == null ? null : "audio " + text(item, "audio")));
        fact(out, "job", joined(text(item, "provider"), text(item, "provider_job_id")));
        BigDecimal cost = number(item, "cost_usd");
        fact(out, "cost", cost == null ? null : GalleryFormat.usd(cost));
        fact(out, "timing", timing(item));
        fact(out, "attempts", text(item, "attempts"));
        BigDecimal bytes = number(item, "bytes");
        fact(out, "file", bytes == null ? null : GalleryFormat.bytes(bytes.longValue()));
        fact(out, "qa", qaFacts(qa));
        out.write("</dl>");
        JsonNode metadata = item.path("metadata");
        if (metadata.isObject() && !metadata.isEmpty()) {
            out.write("<details><summary>metadata</summary><pre>" + html(metadata.toString()) + "</pre></details>");
        }
        out.write("</div></article>\n");
    }

    private void writeMedia(Writer out, JsonNode item, String status) throws IOException {
        String video = status.equals("stored") ? text(item, "video") : null;
        String thumbnail = text(item, "thumbnail");
        try {
            String poster = thumbnail == null ? null : attribute(links.href(thumbnail));
            if (video != null && inlineVideos) {
                out.write("<video controls preload=\"none\"" + (poster == null ? "" : " poster=\"" + poster + "\"")
                        + " src=\"" + attribute(links.href(video)) + "\"></video>");
            } else if (video != null) {
                out.write("<a href=\"" + attribute(links.href(video)) + "\" target=\"_blank\">" + (poster == null
                        ? "play video" : "<img loading=\"lazy\" decoding=\"async\" alt=\"play video\" src=\"" + poster + "\">")
                        + "</a>");
            } else if (poster != null) {
                out.write("<img loading=\"lazy\" decoding=\"async\" alt=\"\" src=\"" + poster + "\">");
            } else {
                out.write("<span>no video</span>");
            }
        } catch (IllegalArgumentException refused) {
            out.write("<span>" + html("link withheld: " + refused.getMessage()) + "</span>");
        }
    }

    /** When it was sent, how long the provider took, how long storing took after that. */
    private static String timing(JsonNode item) {
        Instant submitted = instant(item, "submitted_at");
        Instant completed = instant(item, "completed_at");
        Instant stored = instant(item, "stored_at");
        List<String> parts = new ArrayList<>();
        if (submitted != null) {
            parts.add("sent " + GalleryFormat.time(submitted));
            if (completed != null) {
                parts.add(GalleryFormat.duration(Duration.between(submitted, completed).toMillis()) + " at provider");
            }
        }
        if (stored != null) {
            Instant from = completed != null ? completed : submitted;
            parts.add(from == null ? "stored " + GalleryFormat.time(stored)
                    : "stored " + GalleryFormat.duration(Duration.between(from, stored).toMillis()) + " later");
        }
        return parts.isEmpty() ? null : String.join(" · ", parts);
    }

    /** The probe's findings other than its flags, as {@code name value} pairs. */
    private static String qaFacts(JsonNode qa) {
        if (!qa.isObject()) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : qa.properties()) {
            if (!field.getKey().equals("flags") && !field.getValue().isNull()) {
                JsonNode value = field.getValue();
                parts.add(field.getKey().replace('_', ' ') + " " + (value.isValueNode() ? value.asText() : value.toString()));
            }
        }
        return parts.isEmpty() ? null : String.join(" · ", parts);
    }

    private static void fact(Writer out, String name, String value) throws IOException {
        if (value != null && !value.isEmpty()) {
            out.write("<dt>" + name + "</dt><dd>" + html(value) + "</dd>");
        }
    }

    private static String joined(String... parts) {
        List<String> present = new ArrayList<>();
        for (String part : parts) {
            if (part != null && !part.isEmpty()) {
                present.add(part);
            }
        }
        return String.join(" · ", present);
    }

    private static String html(String text) {
        return text == null ? "" : Encode.forHtmlContent(text);
    }

    private static String attribute(String value) {
        return Encode.forHtmlAttribute(value);
    }
}

package dev.sorabatch.manifest;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A finished batch folder as the pipeline leaves it: {@code manifest.json}, real MP4s (the simulator's sample) and
 * JPEG posters, with items of every status, three jobs in flight for most of the batch, and prompts that try to run
 * script.
 */
final class GalleryFixture {

    static final String IMG_ONERROR = "<img src=x onerror=alert(1)>";
    static final String STYLE_SCRIPT = "</style><script>alert(2)</script>";
    static final String SVG_ONLOAD = "\"><svg onload=alert(3)>";

    static final Instant START = Instant.parse("2026-11-25T20:48:56Z");

    /** id, status, prompt, then seconds after the start: submitted, completed, stored (-1: none). */
    record Row(String id, String status, String prompt, int submitted, int completed, int stored) {
        boolean sent() {
            return submitted >= 0;
        }
    }

    static final List<Row> ROWS = List.of(
            new Row("city-rain", "stored", "A rainy city street at night, neon signs reflected in puddles", 1, 41, 43),
            new Row("desert-wind", "stored", "Dunes at dawn " + IMG_ONERROR, 1, 52, 53),
            new Row("harbour-dawn", "failed", STYLE_SCRIPT + " fishing boats leave the harbour", 2, 30, -1),
            new Row("night-market", "stored", "A crowded night market, steam rising from food stalls", 31, 70, 72),
            new Row("snow-forest", "expired", "Snow falling in a pine forest, a fox crossing", 42, 80, -1),
            new Row("long-take", "rejected", SVG_ONLOAD + " a very long prompt", -1, -1, -1),
            new Row("lost-create", "uncertain", "A lighthouse in a storm", -1, -1, -1),
            new Row("glacier", "stored", "Aerial shot over a glacier, ice cracking", 53, 95, 96),
            new Row("spare-idea", "cancelled", "A paper boat on a stream", -1, -1, -1),
            new Row("big-finale", "skipped_budget", "Fireworks over a harbour, slow motion", -1, -1, -1));

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private GalleryFixture() {
    }

    static long sent() {
        return ROWS.stream().filter(Row::sent).count();
    }

    /** Writes the batch into {@code folder}; returns its {@code manifest.json}. */
    static Path batch(Path folder) throws IOException {
        Files.createDirectories(folder.resolve("videos"));
        Files.createDirectories(folder.resolve("thumbnails"));
        ObjectNode m = JSON.createObjectNode();
        m.put("batch_id", "prompts").put("source", "prompts.csv").put("source_sha256", "9f2c")
                .put("provider", "simulator").put("started_at", START.toString())
                .put("finished_at", START.plusSeconds(97).toString());
        ObjectNode counts = m.putObject("counts").put("total", ROWS.size());
        for (String s : List.of("stored", "failed", "rejected", "expired", "uncertain", "cancelled", "skipped_budget")) {
            counts.put(s, ROWS.stream().filter(r -> r.status().equals(s)).count());
        }
        m.put("seconds_generated", 32).put("estimated_cost_usd", 3.20);
        ArrayNode items = m.putArray("items");
        for (int i = 0; i < ROWS.size(); i++) {
            Row r = ROWS.get(i);
            ObjectNode item = items.addObject().put("id", r.id()).put("row", i + 2).put("take", 1).put("status", r.status())
                    .put("prompt", r.prompt()).put("model", "sora-2").put("seconds", 8).put("size", "1280x720");
            if (r.sent()) {
                item.put("provider_job_id", "video_" + (1000 + i)).put("submitted_at", at(r.submitted()))
                        .put("completed_at", at(r.completed()));
            }
            item.put("attempts", r.sent() ? 1 : 0);
            if (r.stored() >= 0) {
                String video = "videos/" + r.id() + "-take1.mp4";
                String poster = "thumbnails/" + r.id() + "-take1.jpg";
                Files.copy(Path.of("src/main/resources/simulator/sample.mp4"), folder.resolve(video));
                ImageIO.write(poster(i), "jpg", folder.resolve(poster).toFile());
                item.put("video", video).put("thumbnail", poster).put("bytes", Files.size(folder.resolve(video)))
                        .put("stored_at", at(r.stored())).put("cost_usd", 0.80);
                item.putObject("qa").put("duration", 8.0).put("width", 1280).put("height", 720).put("codec", "avc1")
                        .put("audio", !r.id().equals("night-market")).putArray("flags");
            }
            if (r.id().equals("night-market")) {
                item.put("audio", true).put("provider", "simulator");
                ((ArrayNode) item.path("qa").path("flags")).add("no_audio");
            }
            switch (r.status()) {
                case "failed" -> item.putObject("error").put("code", "moderation_blocked").put("message", SVG_ONLOAD);
                case "rejected" -> item.putObject("error").put("code", "prompt_too_long")
                        .put("message", "prompt is longer than 32000 characters");
                case "expired" -> item.putObject("error").put("code", "content_gone")
                        .put("message", "the video was no longer at the provider");
                default -> item.putNull("error");
            }
            item.putObject("metadata").put("shot", r.id().equals("city-rain") ? IMG_ONERROR : "wide");
        }
        Path manifest = folder.resolve("manifest.json");
        JSON.writeValue(manifest.toFile(), m);
        return manifest;
    }

    private static String at(int seconds) {
        return START.plusSeconds(seconds).toString();
    }

    /** A small landscape in its own colours, so that the cards differ at a glance. */
    private static BufferedImage poster(int n) {
        BufferedImage image = new BufferedImage(320, 180, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        float hue = n * 0.13f;
        g.setPaint(new GradientPaint(0, 0, Color.getHSBColor(hue, 0.55f, 0.95f), 0, 180,
                Color.getHSBColor(hue + 0.08f, 0.7f, 0.35f)));
        g.fillRect(0, 0, 320, 180);
        g.setColor(Color.getHSBColor(hue + 0.5f, 0.35f, 0.25f));
        g.fillPolygon(new int[] {0, 90, 170, 250, 320, 320, 0}, new int[] {150, 95, 130, 80, 120, 180, 180}, 7);
        g.setColor(new Color(255, 250, 220));
        g.fillOval(220 - n * 12, 30 + n * 4, 26, 26);
        g.dispose();
        return image;
    }
}

package dev.sorabatch.manifest;

import static dev.sorabatch.manifest.GalleryManifest.instant;
import static dev.sorabatch.manifest.GalleryManifest.number;
import static dev.sorabatch.manifest.GalleryManifest.text;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.owasp.encoder.Encode;

import dev.sorabatch.output.OutputStore;
import dev.sorabatch.output.StoredObject;

/**
 * Writes a batch's review gallery, {@code index.html} beside its {@code manifest.json}: a pure function of the
 * manifest and the links. Two streaming passes over the manifest: the first keeps the counts per status and the few
 * numbers per job that the timeline needs, the second writes one card per item as it reads it, so the page of a
 * 100,000-item batch is never in memory.
 * <p>
 * Nothing from the manifest can run: every text is HTML-escaped and every attribute quoted and escaped, links come
 * only from {@link GalleryLinks}, and the page's Content-Security-Policy forbids all scripts and admits only its own
 * style block (by hash). The status filter is CSS alone (radio inputs and {@code :checked}).
 */
public final class GalleryWriter {

    /** The gallery's name in the batch folder. */
    public static final String FILE_NAME = "index.html";
    public static final String CONTENT_TYPE = "text/html; charset=utf-8";

    /** Statuses in the order their filters appear; others follow by name. */
    private static final List<String> ORDER = List.of("stored", "failed", "rejected", "expired", "uncertain",
            "cancelled", "skipped_budget", "planned");
    /** A status becomes a class name and an id only in this form; anything else is shown as "other". */
    private static final Pattern STATUS = Pattern.compile("[a-z][a-z0-9_]{0,39}");
    private static final String OTHER = "other";

    private final String baseStyle;

    public GalleryWriter() {
        try (InputStream in = GalleryWriter.class.getResourceAsStream("/gallery/gallery.css")) {
            baseStyle = new String(Objects.requireNonNull(in, "/gallery/gallery.css").readAllBytes(),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes the gallery of a batch and stores it as {@code <batch>/index.html}, beside the manifest it was made
     * from. The page goes through a file in {@code tempDir} first, since a store takes a body to read.
     *
     * @param manifest a batch's {@code manifest.json} on local disk (as the manifest writer leaves it before
     *                 publishing), read twice
     * @param output   the store the batch's videos went to
     * @param batch    the batch's folder name in that store
     * @throws IOException if the manifest cannot be read or the page cannot be written or stored
     */
    public StoredObject publish(Path manifest, GalleryLinks links, OutputStore output, String batch, Path tempDir)
            throws IOException {
        Files.createDirectories(tempDir);
        Path page = Files.createTempFile(tempDir, "gallery", ".html");
        try {
            try (OutputStream out = Files.newOutputStream(page)) {
                write(manifest, links, out);
            }
            try (InputStream in = Files.newInputStream(page)) {
                return output.write(batch, FILE_NAME, in, Files.size(page), CONTENT_TYPE);
            }
        } finally {
            Files.deleteIfExists(page);
        }
    }

    /**
     * @param manifest a batch's {@code manifest.json}, read twice
     * @param links    how paths in the batch folder become links
     * @param page     receives the page in UTF-8; flushed, not closed
     * @throws IOException if the manifest cannot be read or is not a manifest, or the page cannot be written
     */
    public void write(Path manifest, GalleryLinks links, OutputStream page) throws IOException {
        Map<String, Integer> counts = new HashMap<>();
        GalleryTimeline timeline = new GalleryTimeline();
        int[] items = {0};
        int[] storedVideos = {0};
        ObjectNode batch = GalleryManifest.read(manifest, item -> {
            int card = items[0]++;
            String status = statusKey(text(item, "status"));
            counts.merge(status, 1, Integer::sum);
            if (status.equals("stored") && text(item, "video") != null) {
                storedVideos[0]++;
            }
            Instant submitted = instant(item, "submitted_at");
            if (submitted != null) {
                Instant end = instant(item, "completed_at");
                timeline.add(card, Objects.requireNonNullElse(text(item, "id"), "#" + (card + 1)), status, submitted,
                        end != null ? end : instant(item, "stored_at"));
            }
        });
        List<String> statuses = new ArrayList<>(counts.keySet());
        statuses.sort(Comparator.comparingInt((String s) -> ORDER.contains(s) ? ORDER.indexOf(s) : ORDER.size())
                .thenComparing(Comparator.naturalOrder()));
        String style = baseStyle + filterRules(statuses);

        Writer out = new BufferedWriter(new OutputStreamWriter(page, StandardCharsets.UTF_8), 1 << 16);
        String batchId = Objects.requireNonNullElse(text(batch, "batch_id"), "");
        out.write("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta http-equiv=\"Content-Security-Policy\" content=\"" + policy(style, links) + "\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<meta name=\"referrer\" content=\"no-referrer\"><link rel=\"icon\" href=\"data:,\"><title>");
        out.write(Encode.forHtmlContent(batchId));
        out.write(" · review</title><style>" + style + "</style></head><body>\n");
        out.write("<input type=\"radio\" name=\"status\" id=\"f-all\" class=\"f\" checked>");
        for (String status : statuses) {
            out.write("<input type=\"radio\" name=\"status\" id=\"f-" + status + "\" class=\"f\">");
        }
        writeHeader(out, batch, batchId, statuses, counts, items[0]);
        out.write("<section class=\"timeline\"><h2>Jobs in flight</h2>");
        timeline.write(out, instant(batch, "finished_at"));
        out.write("</section>\n<main class=\"cards\">\n");
        GalleryCard cards = new GalleryCard(links, storedVideos[0]);
        int[] card = {0};
        GalleryManifest.read(manifest, item -> cards.write(out, card[0]++, item, statusKey(text(item, "status"))));
        out.write("</main>\n<footer>");
        if (links.expiresAt().isPresent()) {
            out.write("Links to videos and thumbnails work until "
                    + GalleryFormat.dateTime(links.expiresAt().get()) + ". ");
        }
        out.write("Written from manifest.json, which has every field of every item.</footer></body></html>\n");
        out.flush();
    }

    /**
     * The status as a class name: itself when it is a plain lower-case word (other than {@code all}, the filter
     * that shows every card), else {@value #OTHER}.
     */
    static String statusKey(String status) {
        return status != null && STATUS.matcher(status).matches() && !status.equals("all") ? status : OTHER;
    }

    private static void writeHeader(Writer out, ObjectNode b, String batchId, List<String> statuses,
                                    Map<String, Integer> counts, int items) throws IOException {
        out.write("<header><h1>Batch ");
        out.write(Encode.forHtmlContent(batchId));
        out.write("</h1><p class=\"sub\">");
        List<String> sub = new ArrayList<>();
        for (String[] field : new String[][] {{"source", "from "}, {"provider", "provider "}, {"revision", "revision "}}) {
            String value = text(b, field[0]);
            if (value != null) {
                sub.add(field[1] + Encode.forHtmlContent(value));
            }
        }
        out.write(String.join(" · ", sub));
        out.write("</p><dl class=\"stats\">");
        JsonNode manifestCounts = b.path("counts");
        if (manifestCounts.isObject()) {
            for (Map.Entry<String, JsonNode> count : manifestCounts.properties()) {
                if (count.getValue().isNumber()) {
                    stat(out, count.getKey().replace('_', ' '), count.getValue().asText());
                }
            }
        } else {
            stat(out, "total", String.valueOf(items));
        }
        BigDecimal seconds = number(b, "seconds_generated");
        if (seconds != null) {
            stat(out, "video", GalleryFormat.duration(seconds.multiply(BigDecimal.valueOf(1000)).longValue()));
        }
        BigDecimal cost = number(b, "estimated_cost_usd");
        if (cost != null) {
            stat(out, "estimated spend", GalleryFormat.usd(cost));
        }
        JsonNode spend = b.path("spend");
        BigDecimal spent = number(spend, "spent_usd");
        BigDecimal cap = number(spend, "budget_per_batch_usd");
        if (spent != null && cap != null) {
            stat(out, "budget", GalleryFormat.usd(spent) + " of " + GalleryFormat.usd(cap));
        }
        BigDecimal planned = number(spend, "planned_usd");
        if (planned != null && planned.signum() > 0) {
            stat(out, "planned spend", GalleryFormat.usd(planned));
        }
        Instant started = instant(b, "started_at");
        Instant finished = instant(b, "finished_at");
        if (started != null) {
            stat(out, "started", GalleryFormat.dateTime(started));
        }
        if (finished != null) {
            stat(out, "finished", GalleryFormat.dateTime(finished));
        }
        if (started != null && finished != null) {
            stat(out, "took", GalleryFormat.duration(Duration.between(started, finished).toMillis()));
        }
        out.write("</dl><nav class=\"filters\" aria-label=\"Show items by status\"><label for=\"f-all\">all<b>" + items
                + "</b></label>");
        for (String status : statuses) {
            out.write("<label for=\"f-" + status + "\">" + status.replace('_', ' ') + "<b>" + counts.get(status)
                    + "</b></label>");
        }
        out.write("</nav></header>\n");
    }

    private static void stat(Writer out, String name, String value) throws IOException {
        out.write("<div><dt>");
        out.write(Encode.forHtmlContent(name));
        out.write("</dt><dd>");
        out.write(Encode.forHtmlContent(value));
        out.write("</dd></div>");
    }

    /**
     * A radio per status (and one for all): checked, it marks its label, hides the other cards and dims the other
     * bars of the timeline.
     */
    private static String filterRules(List<String> statuses) {
        StringBuilder css = new StringBuilder();
        List<String> filters = new ArrayList<>(List.of("all"));
        filters.addAll(statuses);
        for (String f : filters) {
            css.append("#f-").append(f).append(":checked~header label[for=f-").append(f)
                    .append("]{background:var(--accent);border-color:var(--accent);color:#fff}")
                    .append("#f-").append(f).append(":focus-visible~header label[for=f-").append(f)
                    .append("]{outline:2px solid var(--accent);outline-offset:1px}");
            if (!f.equals("all")) {
                css.append("#f-").append(f).append(":checked~main .card:not(.s-").append(f).append("){display:none}")
                        .append("#f-").append(f).append(":checked~.timeline .bar:not(.s-").append(f)
                        .append("){opacity:.15}");
            }
            css.append('\n');
        }
        return css.toString();
    }

    /**
     * No script at all, no style but the page's own block, images and media only from the links' source. The empty
     * {@code data:} icon keeps the browser from asking for a {@code /favicon.ico} that no batch folder has.
     */
    private static String policy(String style, GalleryLinks links) {
        return "default-src 'none'; script-src 'none'; style-src '" + sha256(style) + "'; img-src "
                + links.contentSource() + " data:; media-src " + links.contentSource()
                + "; base-uri 'none'; form-action 'none'";
    }

    private static String sha256(String style) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(style.getBytes(StandardCharsets.UTF_8));
            return "sha256-" + Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

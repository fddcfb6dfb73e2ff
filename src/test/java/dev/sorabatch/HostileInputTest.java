package dev.sorabatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sorabatch.lifecycle.RunControl;

/**
 * Prompt files built to break the pipeline, dropped beside good ones: each bad file is set aside or its bad rows
 * rejected with a reason, nothing loops, and the good files still run.
 */
class HostileInputTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void emptyFileAndPipeDoNotHoldUpTheGoodFileAndOnceModeExits() throws Exception {
        Path inbox = Files.createDirectories(dir.resolve("inbox"));
        Files.write(inbox.resolve("a.csv"), new byte[0]);
        Path pipe = inbox.resolve("y.csv");
        assumeTrue(mkfifo(pipe), "mkfifo is not available here");
        Files.writeString(inbox.resolve("good.csv"), "id,prompt\nok,A harbour at dawn\n");

        try (LogCapture log = new LogCapture(); Pipeline p = Pipeline.start(dir, Map.of("sora.once", "true"))) {
            await().atMost(TIMEOUT).until(() -> p.camel().isStopped());

            assertThat(RunControl.exitCode()).isEqualTo(RunControl.EXIT_INCOMPLETE);
            assertThat(p.batchDir("good").resolve("manifest.json")).exists();
            assertThat(errorOf("a.csv")).isEqualTo("the file is empty");
            assertThat(pipe).as("not a regular file: left where it is").exists();
            assertThat(log.count("y.csv")).as("one log line for the pipe, however many polls").isEqualTo(1);
        }
    }

    @Test
    void pipeInTheInboxDoesNotDelayShutdown() throws Exception {
        Path inbox = Files.createDirectories(dir.resolve("inbox"));
        assumeTrue(mkfifo(inbox.resolve("y.csv")), "mkfifo is not available here");
        Pipeline p = Pipeline.start(dir, Map.of());
        p.drop("good.csv", "prompt\nA harbour at noon\n");
        p.awaitManifest("good", TIMEOUT);

        long before = System.nanoTime();
        p.close();

        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(15));
    }

    @Test
    void metadataTooLongForTheStoreRejectsTheRowAndTooManyColumnsSetTheFileAside() throws Exception {
        try (Pipeline p = Pipeline.start(dir, Map.of())) {
            p.drop("meta.csv", "id,prompt,notes\nlong,A quiet lake," + "n".repeat(25_000) + "\nshort,A quiet lake at noon,fine\n");
            String header = "prompt," + IntStream.range(1, 10_000).mapToObj(i -> "c" + i).collect(Collectors.joining(","));
            p.drop("wide.csv", header + "\nA wide field" + ",x".repeat(9_999) + "\n");

            JsonNode byId = EndToEndTest.index(p.awaitManifest("meta", TIMEOUT));
            assertThat(byId.path("short").path("status").asText()).isEqualTo("stored");
            assertThat(byId.path("long").path("status").asText()).isEqualTo("rejected");
            assertThat(byId.path("long").path("error").path("message").asText()).contains("metadata").contains("20000");
            await().atMost(TIMEOUT).until(() -> Files.exists(dir.resolve("error/wide.csv.error.json")));
            assertThat(errorOf("wide.csv")).contains("10000 columns");
        }
    }

    @Test
    void fieldsLongerThanTheirColumnsAreRejectedAndDataImagesAreStored() throws Exception {
        String image = "data:image/png;base64," + Base64.getEncoder().encodeToString(png());
        assertThat(image.length()).as("a realistic first frame is far over the old 4,000").isGreaterThan(100_000);
        try (Pipeline p = Pipeline.start(dir, Map.of())) {
            p.drop("long.jsonl", String.join("\n",
                    line("id", "i".repeat(1001)),
                    line("size", "1".repeat(21)),
                    line("model", "m".repeat(201)),
                    line("remix_of", "r".repeat(1001)),
                    "{\"id\": \"framed\", \"prompt\": \"A red door\", \"input_reference\": \"" + image + "\"}",
                    "{\"id\": \"plain\", \"prompt\": \"A red door at night\"}"));

            JsonNode manifest = p.awaitManifest("long", TIMEOUT);
            JsonNode items = manifest.path("items");
            assertThat(items.get(0).path("error").path("message").asText()).isEqualTo("id is 1001 characters; the limit is 1000");
            assertThat(items.get(1).path("error").path("message").asText()).isEqualTo("size is 21 characters; the limit is 20");
            assertThat(items.get(2).path("error").path("message").asText()).isEqualTo("model is 201 characters; the limit is 200");
            assertThat(items.get(3).path("error").path("message").asText()).isEqualTo("remix_of is 1001 characters; the limit is 1000");
            assertThat(items.get(4).path("status").asText()).isEqualTo("stored");
            assertThat(items.get(5).path("status").asText()).isEqualTo("stored");
            assertThat(dir.resolve("done/long.jsonl")).exists();
        }
    }

    @Test
    void aSecondFileOfTheSameNameNeverOverwritesTheFirstInDoneOrError() throws Exception {
        try (Pipeline p = Pipeline.start(dir, Map.of())) {
            p.drop("repeat.csv", "prompt\nA first kite\n");
            await().atMost(TIMEOUT).until(() -> Files.exists(dir.resolve("done/repeat.csv")));
            p.drop("repeat.csv", "prompt\nA second kite\n");
            await().atMost(TIMEOUT).until(() -> Files.exists(dir.resolve("done/repeat-2.csv")));
            assertThat(Files.readString(dir.resolve("done/repeat.csv"))).contains("first");
            assertThat(p.store().batches().find("repeat-2")).isPresent();

            p.drop("broken.csv", "style\nnoir\n");
            await().atMost(TIMEOUT).until(() -> Files.exists(dir.resolve("error/broken.csv.error.json")));
            p.drop("broken.csv", "prompt\n\"never closed\n");
            await().atMost(TIMEOUT).until(() -> Files.exists(dir.resolve("error/broken-2.csv.error.json")));
            assertThat(errorOf("broken.csv")).contains("no \"prompt\" column");
            assertThat(errorOf("broken-2.csv")).contains("CSV syntax error");
            assertThat(dir.resolve("error/broken.csv")).exists();
            assertThat(dir.resolve("error/broken-2.csv")).exists();
        }
    }

    @Test
    void promptFilesLinkedToFilesOutsideTheInputAreRefusedUnread() throws Exception {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Path passwd = Files.writeString(outside.resolve("passwd"), "root:x:0:0:TOP-SECRET-ROOT:/root:/bin/bash\n");
        Path notes = Files.writeString(outside.resolve("notes.csv"), "prompt\nTOP-SECRET-PROMPT\n");
        Path inbox = Files.createDirectories(dir.resolve("inbox"));
        Files.createSymbolicLink(inbox.resolve("x.csv"), passwd);
        Files.createSymbolicLink(inbox.resolve("notes.csv"), notes);

        try (LogCapture log = new LogCapture(); Pipeline p = Pipeline.start(dir, Map.of())) {
            await().atMost(TIMEOUT).until(() -> Files.exists(dir.resolve("error/x.csv.error.json"))
                    && Files.exists(dir.resolve("error/notes.csv.error.json")));
            p.drop("good.csv", "prompt\nA lantern in the fog\n");
            p.awaitManifest("good", TIMEOUT);

            assertThat(errorOf("x.csv")).contains("link").doesNotContain("TOP-SECRET");
            assertThat(Files.readString(dir.resolve("error/notes.csv.error.json"))).doesNotContain("TOP-SECRET");
            assertThat(log.lines()).noneMatch(l -> l.contains("TOP-SECRET"));
            assertThat(p.store().batches().find("notes")).isEmpty();
            assertThat(p.simulator().stats().jobsCreated("TOP-SECRET-PROMPT")).isZero();
            assertThat(Files.readString(passwd)).as("the target is left alone").contains("TOP-SECRET-ROOT");
        }
    }

    @Test
    void batchNamesDifferingOnlyInCaseGetDistinctFolders() throws Exception {
        try (Pipeline p = Pipeline.start(dir, Map.of())) {
            p.drop("Batch.csv", "prompt\nA lantern\n");
            p.awaitManifest("Batch", TIMEOUT);
            p.drop("batch.csv", "prompt\nA candle\n");

            JsonNode second = p.awaitManifest("batch-2", TIMEOUT);
            assertThat(second.path("items").get(0).path("prompt").asText()).isEqualTo("A candle");
            assertThat(p.batchDir("batch")).doesNotExist();
        }
    }

    private String errorOf(String name) throws Exception {
        return Pipeline.JSON.readTree(dir.resolve("error").resolve(name + ".error.json").toFile()).path("error").asText();
    }

    private static String line(String field, String value) {
        return "{\"prompt\": \"A red door\", \"" + field + "\": \"" + value + "\"}";
    }

    private static boolean mkfifo(Path path) {
        try {
            return new ProcessBuilder("mkfifo", path.toString()).start().waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    /** A 320x180 PNG of noise: incompressible, so its data URL is as long as a real photo's of that size. */
    static byte[] png() throws Exception {
        BufferedImage image = new BufferedImage(320, 180, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(9);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                image.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}

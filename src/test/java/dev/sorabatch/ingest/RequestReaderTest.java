package dev.sorabatch.ingest;

import com.fasterxml.jackson.core.JsonParseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import dev.sorabatch.store.NewItem;

class RequestReaderTest {

    private static final String CAFE = "Café au lait, 東京の夜\nsteam rising";
    private static final List<NewItem> EXPECTED = List.of(
            new NewItem(1, "intro", "intro-take1", "intro", 1, "A lighthouse on a cliff, waves crashing. Style: cinematic.",
                    "sora-2", 8, "720x1280", null, null, "{\"note\":\"first, \\\"hero\\\" shot\"}", null,
                    "openai", true, "9:16", "720p"),
            new NewItem(1, "intro", "intro-take2", null, 2, "A lighthouse on a cliff, waves crashing. Style: cinematic.",
                    "sora-2", 8, "720x1280", null, null, "{\"note\":\"first, \\\"hero\\\" shot\"}", null,
                    "openai", true, "9:16", "720p"),
            new NewItem(2, "cafe", "cafe", "cafe", 1, CAFE + ". Camera: close-up. Audio: rain falling.",
                    "sora-2-pro", 8, "1792x1024", null, null, "{}", null, "openai", true, "7:4", "1024p"),
            new NewItem(3, "3", "3", "3", 1, "She said \"hello\", then left",
                    "sora-2", 4, "720x1280", null, null, "{}", null, "openai", true, "9:16", "720p"));

    @ParameterizedTest
    @ValueSource(strings = {"requests.csv", "requests.json", "requests-with-defaults.json", "requests.jsonl"})
    void everyFormatYieldsTheSameDrafts(String file) throws Exception {
        Batches.Read read = Batches.resource(file);

        assertEquals(3, read.result().rows());
        assertEquals(EXPECTED, Batches.drafts(read.rows()));
    }

    @Test
    void reportsFormatAndBatchName() throws Exception {
        assertEquals(new ReadResult(null, "csv", 3), Batches.resource("requests.csv").result());
        assertEquals(new ReadResult(null, "json", 3), Batches.resource("requests.json").result());
        assertEquals(new ReadResult("launch-teasers", "json", 3), Batches.resource("requests-with-defaults.json").result());
        assertEquals(new ReadResult(null, "jsonl", 3), Batches.resource("requests.jsonl").result());
        assertEquals("jsonl", Batches.read("a.NDJSON", "{\"prompt\": \"x\"}").result().format());
    }

    @Test
    void csvKeepsQuotedCommasQuotesAndNewlinesAndSkipsTheBom() throws Exception {
        List<RawRow> rows = Batches.resource("requests.csv").rows();

        assertEquals(Map.of("id", "cafe", "prompt", CAFE, "camera", "close-up", "audio", "rain falling",
                "model", "sora-2-pro", "seconds", "8", "size", "1792x1024"), rows.get(1).fields());
        assertEquals("She said \"hello\", then left", rows.get(2).fields().get("prompt"));
        assertEquals("first, \"hero\" shot", rows.get(0).fields().get("note"));
    }

    @Test
    void csvRecordWithWrongColumnCountIsRejectedAndTheRestIsRead() throws Exception {
        List<RawRow> rows = Batches.read("a.csv", "prompt,style\na,b\nonly one\nc,d,e\nf,g\n\n").rows();

        assertEquals(4, rows.size());
        assertNull(rows.get(0).parseError());
        assertEquals("row 2 has 1 values but the header has 2 columns", rows.get(1).parseError());
        assertEquals("row 3 has 3 values but the header has 2 columns", rows.get(2).parseError());
        assertEquals(Map.of("prompt", "f", "style", "g"), rows.get(3).fields());
    }

    @Test
    void csvMatchesKnownColumnsIgnoringCaseKeepsOthersTrimmedAndDropsBlankCells() throws Exception {
        List<RawRow> rows = Batches.read("a.csv", "PROMPT, Mood ,Takes\nx,calm,2\ny,  ,\n").rows();

        assertEquals(Map.of("prompt", "x", "Mood", "calm", "takes", "2"), rows.get(0).fields());
        assertEquals(Map.of("prompt", "y"), rows.get(1).fields());
    }

    @Test
    void jsonlLineThatIsNotAnObjectIsRejectedAndTheRestIsRead() throws Exception {
        String file = """
                {"prompt": "one"}

                [1, 2]
                {"prompt": "two"} {"prompt": "three"}
                not json at all
                "just a string"
                {"prompt": "four"}
                """;
        List<RawRow> rows = Batches.read("a.jsonl", file).rows();

        assertEquals(List.of(1, 2, 3, 4, 5, 6), rows.stream().map(RawRow::row).toList());
        assertNull(rows.get(0).parseError());
        assertEquals("line 3 is not a JSON object: found an array", rows.get(1).parseError());
        assertTrue(rows.get(2).parseError().startsWith("line 4 is not a JSON object: more JSON follows"),
                rows.get(2).parseError());
        assertTrue(rows.get(3).parseError().startsWith("line 5 is not a JSON object: Unrecognized token 'not'"),
                rows.get(3).parseError());
        assertEquals("line 6 is not a JSON object: found a string", rows.get(4).parseError());
        assertEquals(Map.of("prompt", "four"), rows.get(5).fields());
    }

    @Test
    void jsonArrayElementThatIsNotAnObjectIsRejected() throws Exception {
        List<RawRow> rows = Batches.read("a.json", "[{\"prompt\": \"a\"}, [\"b\"], 3, {\"prompt\": \"c\"}]").rows();

        assertEquals(4, rows.size());
        assertEquals("request 2 is not a JSON object: found an array", rows.get(1).parseError());
        assertEquals("request 3 is not a JSON object: found a number", rows.get(2).parseError());
        assertEquals(Map.of("prompt", "c"), rows.get(3).fields());
    }

    @Test
    void jsonKeepsValueTypesForMetadata() throws Exception {
        RawRow row = Batches.read("a.jsonl", "{\"prompt\": \"x\", \"n\": 2, \"ratio\": 1.50, \"tags\": [\"a\"], \"ok\": true}")
                .rows().get(0);

        assertEquals(Map.of("prompt", "x", "n", 2, "ratio", new BigDecimal("1.50"), "tags", List.of("a"), "ok", true),
                row.fields());
        assertEquals("{\"n\":2,\"ratio\":1.50,\"tags\":[\"a\"],\"ok\":true}", Batches.drafts(List.of(row)).get(0).metadataJson());
    }

    @Test
    void bomIsSkippedForJsonToo() throws Exception {
        byte[] file = "\uFEFF[{\"prompt\": \"x\"}]".getBytes(StandardCharsets.UTF_8);

        assertEquals(1, Batches.read("a.json", file).result().rows());
    }

    @Test
    void readsToTheEndWithoutClosingTheStream() throws Exception {
        TrackedStream in = new TrackedStream("[{\"prompt\": \"x\"}]\n\n   \n");

        Batches.read("a.json", in);

        assertEquals(-1, in.read());
        assertFalse(in.closed);
    }

    @Test
    void readsBadFilesToTheEndToo() {
        TrackedStream in = new TrackedStream("[{\"prompt\": \"x\"}, oops" + " ".repeat(100_000) + "]");

        assertThrows(BadFileException.class, () -> Batches.read("a.json", in));
        assertEquals(-1, in.read());
    }

    @Test
    void jsonLineNestedTooDeepIsARejectedRowNotACrash() throws Exception {
        String deep = "{\"prompt\": \"p\", \"x\": " + "[".repeat(100_000) + "]".repeat(100_000) + "}";

        List<RawRow> rows = Batches.read("a.jsonl", deep + "\n{\"prompt\": \"fine\"}\n").rows();

        assertEquals(2, rows.size());
        assertTrue(rows.get(0).parseError().startsWith("line 1 is not a JSON object: Document nesting depth (65) exceeds "
                + "the maximum allowed (64, sora.input.max-nesting-depth)"), rows.get(0).parseError());
        assertNull(rows.get(1).parseError());
    }

    @Test
    void valueOrFieldsOverALimitRejectOnlyTheirRow() throws Exception {
        RequestReader small = new RequestReader(new ReadLimits(100_000, 1000, 50, 5, 10, 3));

        List<RawRow> csv = new ArrayList<>();
        small.read("a.csv", new ByteArrayInputStream(("prompt,notes\np," + "x".repeat(51) + "\nq,short\n")
                .getBytes(StandardCharsets.UTF_8)), csv::add);
        List<RawRow> jsonl = new ArrayList<>();
        small.read("a.jsonl", new ByteArrayInputStream(("{\"prompt\": \"p\", \"a\": 1, \"b\": 2, \"c\": 3}\n"
                + "{\"prompt\": \"" + "x".repeat(51) + "\"}\n{\"prompt\": \"q\"}\n").getBytes(StandardCharsets.UTF_8)),
                jsonl::add);

        assertEquals("row 1: the value of column \"notes\" is 51 characters; the limit is 50 (sora.input.max-cell-length)",
                csv.get(0).parseError());
        assertNull(csv.get(1).parseError());
        assertEquals("line 1 has 4 fields; the limit is 3 (sora.input.max-columns)", jsonl.get(0).parseError());
        assertTrue(jsonl.get(1).parseError().contains("sora.input.max-cell-length"), jsonl.get(1).parseError());
        assertNull(jsonl.get(2).parseError());
    }

    @Test
    void sinkFailurePassesThroughUnchanged() {
        IOException failure = new JsonParseException(null, "store is down");

        IOException thrown = assertThrows(IOException.class, () -> Batches.READER.read("a.json",
                new ByteArrayInputStream("[{\"prompt\": \"x\"}]".getBytes(StandardCharsets.UTF_8)), row -> {
                    throw failure;
                }));
        assertSame(failure, thrown);
    }

    private static final class TrackedStream extends ByteArrayInputStream {
        boolean closed;

        TrackedStream(String content) {
            super(content.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}

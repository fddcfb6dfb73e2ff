package dev.sorabatch.ingest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class BadFileTest {

    static Stream<Arguments> badFiles() {
        return Stream.of(
                arguments("prompts.txt", text("prompt\nhello\n"), "unsupported file type \".txt\""),
                arguments("prompts", text("prompt\nhello\n"), "the file name has no extension"),
                arguments("a.csv", bytes("prompt\nCaf", 0xE9, " au lait\n"), "not valid UTF-8"),
                arguments("a.json", invalidUtf8DeepInside(), "not valid UTF-8"),
                arguments("a.csv", bytes("prompt\nhello", 0, "world\n"), "binary data"),
                arguments("a.json", bytes(0xFF, 0xFE, "[\0]\0"), "UTF-16LE"),
                arguments("a.csv", text(""), "the file is empty"),
                arguments("a.jsonl", text(" \n\r\n\t\n"), "the file is empty"),
                arguments("a.csv", bytes(0xEF, 0xBB, 0xBF), "the file is empty"),
                arguments("a.json", text("[]"), "the file holds no requests"),
                arguments("a.json", text("{\"batch\": \"b\", \"requests\": []}"), "the file holds no requests"),
                arguments("a.csv", text("prompt,style\n\n"), "the file holds no requests"),
                arguments("a.json", text("[{\"prompt\": \"a\"},\n {\"prompt\": \"b\""), "JSON syntax error at line 2"),
                arguments("a.json", text("[{\"prompt\": \"a\"}] trailing"), "JSON syntax error at line 1"),
                arguments("a.json", text("[{\"prompt\": \"a\"}]\n[{\"prompt\": \"b\"}]"),
                        "unexpected content after the end of the JSON at line 2"),
                arguments("a.json", text("[{\"prompt\": \"a\", \"prompt\": \"b\"}]"), "Duplicate field 'prompt'"),
                arguments("a.json", text("prompt,style\nhello,cinematic\n"),
                        "a .json file must start with '[' or '{', but this one starts with 'p'"),
                arguments("a.jsonl", text("[{\"prompt\": \"a\"}]"), "a .jsonl file must hold one JSON object per line"),
                arguments("a.csv", text("  [{\"prompt\": \"a\"}]"), "this .csv file holds JSON"),
                arguments("a.csv", text("{\"prompt\": \"a\"}"), "this .csv file holds JSON"),
                arguments("a.csv", text("style,camera\ncinematic,close-up\n"), "the header row has no \"prompt\" column"),
                arguments("a.csv", text("prompt,Style,style\na,b,c\n"), "column \"style\" appears twice"),
                arguments("a.csv", text("prompt,,style\na,b,c\n"), "column 2 of the header row has no name"),
                arguments("a.csv", text("prompt,style\n\"a lighthouse,cinematic\n"), "CSV syntax error"),
                arguments("a.json", text("{\"requests\": [{\"prompt\": \"a\"}], \"defaults\": {\"seconds\": 8}}"),
                        "\"defaults\" must come before \"requests\""),
                arguments("a.json", text("{\"defaults\": [], \"requests\": [{\"prompt\": \"a\"}]}"), "\"defaults\" must be an object"),
                arguments("a.json", text("{\"requests\": {\"prompt\": \"a\"}}"), "\"requests\" must be an array"),
                arguments("a.json", text("{\"batch\": 7, \"requests\": [{\"prompt\": \"a\"}]}"), "\"batch\" must be a string"),
                arguments("a.json", text("{\"batch\": \"b\"}"), "no \"requests\" array"));
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("badFiles")
    void wholeFileIsRejectedWithAReason(String fileName, byte[] content, String reason) {
        BadFileException e = assertThrows(BadFileException.class, () -> Batches.read(fileName, content));

        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    /** Limits small enough to reach in a test: 1000 bytes, lines of 100 characters, values of 50, 100 rows, 5 columns. */
    private static final RequestReader SMALL = new RequestReader(new ReadLimits(1000, 100, 50, 5, 100, 5));

    static Stream<Arguments> filesOverALimit() {
        return Stream.of(
                arguments("a.jsonl", text("{\"prompt\": \"a\"}\n{\"prompt\": \"" + "x".repeat(100) + "\"}\n"),
                        "line 2 is longer than 100 characters (sora.input.max-line-length)"),
                arguments("a.csv", text("prompt\n\"" + "x\n".repeat(60) + "\"\n"),
                        "the row starting on line 2 is longer than 100 characters"),
                arguments("a.json", text("[{\"prompt\": \"" + "x".repeat(60) + "\"}]"),
                        "exceeds the maximum allowed (50, sora.input.max-cell-length)"),
                arguments("a.json", text("[{\"prompt\": \"a\", \"n\": [[[[[[1]]]]]]}]"),
                        "exceeds the maximum allowed (5, sora.input.max-nesting-depth)"),
                arguments("a.csv", text("prompt,a,b,c,d,e\np,1,2,3,4,5\n"),
                        "the header row has 6 columns; the limit is 5 (sora.input.max-columns)"),
                arguments("a.csv", text("prompt\n" + "p\n".repeat(101)),
                        "the file holds more than 100 requests (sora.input.max-rows)"),
                arguments("a.jsonl", text("{\"prompt\": \"p\"}\n".repeat(70)),
                        "the file is larger than 1000 bytes (sora.input.max-file-mb)"));
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("filesOverALimit")
    void fileOverALimitIsSetAsideWithTheSettingNamed(String fileName, byte[] content, String reason) {
        BadFileException e = assertThrows(BadFileException.class,
                () -> SMALL.read(fileName, new java.io.ByteArrayInputStream(content), row -> { }));

        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void jsonRequestOverTheLineLimitSetsTheFileAside() {
        // the reader reads ahead in blocks of 8 KB, so the limit is met to within a block: a request far over it
        RequestReader reader = new RequestReader(new ReadLimits(1_000_000, 50_000, 50_000, 5, 10, 5));
        String big = "[{\"prompt\": \"a\"},\n {\"prompt\": \"" + "x".repeat(45_000) + "\", \"notes\": \""
                + "y".repeat(45_000) + "\"}]";

        BadFileException e = assertThrows(BadFileException.class,
                () -> reader.read("a.json", new java.io.ByteArrayInputStream(text(big)), row -> { }));

        assertTrue(e.getMessage().contains("the request starting on line 2 is longer than 50000 characters"), e.getMessage());
    }

    @Test
    void fileOverTheSizeLimitIsNotReadToTheEnd() {
        java.io.ByteArrayInputStream in = new java.io.ByteArrayInputStream(text("{\"prompt\": \"p\"}\n".repeat(10_000)));

        assertThrows(BadFileException.class, () -> SMALL.read("a.jsonl", in, row -> { }));
        assertTrue(in.available() > 100_000, "left unread: " + in.available());
    }

    @Test
    void randomBytesNamedCsvAreNotABatchOfJunkRows() {
        // many seeds, so the outcome does not hinge on one lucky byte pattern
        for (int seed = 0; seed < 200; seed++) {
            byte[] junk = new byte[2048];
            new Random(seed).nextBytes(junk);
            BadFileException e = assertThrows(BadFileException.class, () -> Batches.read("x.csv", junk), "seed " + seed);
            assertTrue(e.getMessage().contains("not valid UTF-8"), e.getMessage());
        }
    }

    private static byte[] text(String content) {
        return content.getBytes(StandardCharsets.UTF_8);
    }

    /** Valid JSON for well past the first read-ahead buffer, then a lone Latin-1 byte inside a request. */
    private static byte[] invalidUtf8DeepInside() {
        return bytes("[" + "{\"prompt\": \"fine\"},\n".repeat(2000) + "{\"prompt\": \"Caf", 0xE9, "\"}]");
    }

    /** Text parts as UTF-8, int parts as single raw bytes. */
    private static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object part : parts) {
            if (part instanceof Integer b) {
                out.write(b);
            } else {
                out.writeBytes(text((String) part));
            }
        }
        return out.toByteArray();
    }
}

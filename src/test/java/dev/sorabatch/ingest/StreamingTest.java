package dev.sorabatch.ingest;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StreamingTest {

    private static final int ROWS = 100_000;

    @ParameterizedTest
    @CsvSource({"big.csv", "big.json", "big.jsonl"})
    void readsAndValidates100000RowsWithoutKeepingThem(String fileName) {
        GeneratedFile file = switch (fileName) {
            case "big.csv" -> new GeneratedFile("id,prompt,style\n", i -> "clip-" + i + ",\"Shot " + i + ", at dusk\",aerial\n", "");
            case "big.json" -> new GeneratedFile("[", i -> (i > 1 ? "," : "") + "{\"id\":\"clip-" + i + "\",\"prompt\":\"Shot " + i + "\"}\n", "]");
            default -> new GeneratedFile("", i -> "{\"id\":\"clip-" + i + "\",\"prompt\":\"Shot " + i + "\"}\n", "");
        };
        RequestValidator validator = new RequestValidator(ValidationRules.defaults());
        int[] accepted = {0};

        ReadResult result = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> Batches.READER.read(fileName, file, row -> {
            if (validator.validate(row).get(0).rejection() == null) {
                accepted[0]++;
            }
        }));

        assertEquals(ROWS, result.rows());
        assertEquals(ROWS, accepted[0]);
        assertTrue(file.exhausted());
    }

    /** A file of {@link #ROWS} rows produced as it is read, so no test copy of it sits in memory either. */
    private static final class GeneratedFile extends InputStream {
        private final IntFunction<String> row;
        private final String footer;
        private byte[] chunk;
        private int position;
        private int nextRow = 1;
        private boolean footerDone;

        GeneratedFile(String header, IntFunction<String> row, String footer) {
            this.row = row;
            this.footer = footer;
            this.chunk = header.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            while (position == chunk.length) {
                if (!nextChunk()) {
                    return -1;
                }
            }
            int count = Math.min(length, chunk.length - position);
            System.arraycopy(chunk, position, buffer, offset, count);
            position += count;
            return count;
        }

        boolean exhausted() {
            return footerDone && position == chunk.length;
        }

        private boolean nextChunk() {
            if (nextRow <= ROWS) {
                chunk = row.apply(nextRow++).getBytes(StandardCharsets.UTF_8);
            } else if (!footerDone) {
                chunk = footer.getBytes(StandardCharsets.UTF_8);
                footerDone = true;
            } else {
                return false;
            }
            position = 0;
            return true;
        }
    }
}

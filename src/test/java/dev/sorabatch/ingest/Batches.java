package dev.sorabatch.ingest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import dev.sorabatch.store.NewItem;

/** Reads test files through {@link RequestReader} and {@link RequestValidator}, keeping everything for assertions. */
final class Batches {

    /** Limits well above anything these tests read, except where a test sets its own. */
    static final ReadLimits LIMITS = new ReadLimits(64L * 1024 * 1024, 1_000_000, 1_000_000, 64, 1_000_000, 200);
    static final RequestReader READER = new RequestReader(LIMITS);

    record Read(ReadResult result, List<RawRow> rows) {
    }

    private Batches() {
    }

    static Read read(String fileName, InputStream in) throws BadFileException, IOException {
        List<RawRow> rows = new ArrayList<>();
        ReadResult result = READER.read(fileName, in, rows::add);
        return new Read(result, rows);
    }

    static Read read(String fileName, byte[] content) throws BadFileException, IOException {
        return read(fileName, new ByteArrayInputStream(content));
    }

    static Read read(String fileName, String content) throws BadFileException, IOException {
        return read(fileName, content.getBytes(StandardCharsets.UTF_8));
    }

    static Read resource(String name) throws BadFileException, IOException {
        try (InputStream in = Batches.class.getResourceAsStream("/ingest/" + name)) {
            return read(name, Objects.requireNonNull(in, "missing test resource " + name));
        }
    }

    static List<NewItem> drafts(List<RawRow> rows) {
        RequestValidator validator = new RequestValidator(ValidationRules.defaults());
        return rows.stream().flatMap(row -> validator.validate(row).stream()).toList();
    }
}

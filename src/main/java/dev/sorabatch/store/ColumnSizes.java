package dev.sorabatch.store;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The most characters each text column of a table holds, as the schema declares it ({@link JobStore#itemColumns()}),
 * so that ingest rejects a value the store could not take, with a reason, instead of failing the insert. Lengths are
 * counted in UTF-16 units ({@link String#length()}), never fewer than the database counts.
 */
public record ColumnSizes(Map<String, Integer> sizes) {

    /** No column limits (for callers that never write to the store). */
    public static final ColumnSizes UNBOUNDED = new ColumnSizes(Map.of());

    public ColumnSizes {
        Map<String, Integer> lower = new HashMap<>();
        sizes.forEach((column, size) -> lower.put(column.toLowerCase(Locale.ROOT), size));
        sizes = Map.copyOf(lower);
    }

    /** The limit of the column, {@link Integer#MAX_VALUE} when it has none. */
    public int of(String column) {
        return sizes.getOrDefault(column, Integer.MAX_VALUE);
    }

    /** These sizes with one column held to at most {@code max}. */
    public ColumnSizes capped(String column, int max) {
        Map<String, Integer> copy = new HashMap<>(sizes);
        copy.put(column, Math.min(of(column), max));
        return new ColumnSizes(copy);
    }
}

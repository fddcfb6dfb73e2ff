package dev.sorabatch.manifest;

import java.util.List;

/**
 * Neutralises text cells a spreadsheet would run as a formula (CSV injection): a cell starting with
 * {@code = + - @}, tab or carriage return gets a leading apostrophe. Numbers are left alone.
 */
public final class CsvCells {

    private CsvCells() {
    }

    public static List<Object> safe(List<Object> cells) {
        return cells.stream().map(CsvCells::safe).toList();
    }

    static Object safe(Object cell) {
        if (!(cell instanceof String text) || text.isEmpty()) {
            return cell;
        }
        char first = text.charAt(0);
        return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r'
                ? "'" + text : text;
    }
}

package dev.sorabatch.manifest;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How the gallery writes times, durations, money and sizes: short, in UTC like the manifest, locale-free. */
final class GalleryFormat {

    private static final DateTimeFormatter DATE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

    private GalleryFormat() {
    }

    static String dateTime(Instant instant) {
        return DATE_TIME.format(instant);
    }

    static String time(Instant instant) {
        return TIME.format(instant);
    }

    /** {@code 850 ms}, {@code 8.2 s}, {@code 30 s}, {@code 3m12s}, {@code 1h04m}, {@code 2d03h}. */
    static String duration(long millis) {
        if (millis < 1000) {
            return millis + " ms";
        }
        long s = millis / 1000;
        if (s < 60) {
            return millis % 1000 == 0 ? s + " s" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        if (s < 86400) {
            return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
        }
        return String.format(Locale.ROOT, "%dd%02dh", s / 86400, s % 86400 / 3600);
    }

    /** Dollars with cents, or more digits where a price has them ({@code $0.005}). */
    static String usd(BigDecimal amount) {
        BigDecimal shown = amount.scale() <= 2 ? amount.setScale(2, RoundingMode.UNNECESSARY) : amount.stripTrailingZeros();
        if (shown.scale() < 2) {
            shown = shown.setScale(2, RoundingMode.UNNECESSARY);
        }
        return "$" + shown.toPlainString();
    }

    static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KB", "MB", "GB", "TB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    /** A coordinate for SVG: two decimals at most, no exponent, no locale. */
    static String coordinate(double value) {
        return BigDecimal.valueOf(value).setScale(2, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }
}

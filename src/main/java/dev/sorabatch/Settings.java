package dev.sorabatch;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.apache.camel.util.TimeUtils;

/**
 * Typed view of the {@code sora.*} settings (config/application.properties, overridable by environment variables
 * such as {@code SORA_MAX_IN_FLIGHT} and by system properties). Every value is checked here, at start-up, so a
 * bad setting stops the run with a message naming it instead of failing later mid-batch.
 */
public final class Settings {

    private final Function<String, Optional<String>> source;

    public Settings(Function<String, Optional<String>> source) {
        this.source = source;
    }

    public String text(String key) {
        return source.apply(key).map(String::trim)
                .orElseThrow(() -> new SettingException(key, "is missing from config/application.properties"));
    }

    public String text(String key, String fallback) {
        return source.apply(key).map(String::trim).orElse(fallback);
    }

    public int integer(String key, int min) {
        long value = wholeNumber(key, min);
        if (value > Integer.MAX_VALUE) {
            throw new SettingException(key, "must be at most " + Integer.MAX_VALUE + ", got " + value);
        }
        return (int) value;
    }

    public long wholeNumber(String key, long min) {
        String raw = text(key);
        try {
            long value = Long.parseLong(raw);
            if (value < min) {
                throw new SettingException(key, "must be at least " + min + ", got " + raw);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new SettingException(key, "must be a whole number, got '" + raw + "'");
        }
    }

    public double decimal(String key, double min, double max) {
        String raw = text(key);
        try {
            double value = Double.parseDouble(raw);
            if (value < min || value > max) {
                throw new SettingException(key, "must be between " + min + " and " + max + ", got " + raw);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new SettingException(key, "must be a number, got '" + raw + "'");
        }
    }

    /** A duration in Camel's notation: {@code 250} (milliseconds), {@code 2s}, {@code 5m}, {@code 1h30m}. */
    public long millis(String key) {
        String raw = text(key);
        try {
            long value = TimeUtils.toMilliSeconds(raw);
            if (value < 0) {
                throw new SettingException(key, "must not be negative, got " + raw);
            }
            return value;
        } catch (IllegalArgumentException e) {
            throw new SettingException(key, "must be a duration such as 500, 2s, 5m or 1h, got '" + raw + "'");
        }
    }

    public boolean flag(String key) {
        String raw = text(key).toLowerCase(Locale.ROOT);
        if (!raw.equals("true") && !raw.equals("false")) {
            throw new SettingException(key, "must be true or false, got '" + raw + "'");
        }
        return Boolean.parseBoolean(raw);
    }

    public List<String> list(String key) {
        return Arrays.stream(text(key, "").split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** {@code a=1,b=2} as an ordered map. */
    public Map<String, String> map(String key) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String pair : list(key)) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new SettingException(key, "must be a list of name=value pairs, got '" + pair + "'");
            }
            map.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return map;
    }

    /** A setting that cannot be used as given; the run stops with exit code 1. */
    public static class SettingException extends IllegalArgumentException {
        public SettingException(String key, String problem) {
            super("Setting " + key + " " + problem);
        }
    }
}

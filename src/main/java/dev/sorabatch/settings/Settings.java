package dev.sorabatch.settings;

import java.text.ParseException;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.apache.camel.util.TimeUtils;
import org.quartz.CronExpression;

/**
 * Typed view of the {@code sora.*} settings (config/application.properties, overridable by environment variables
 * such as {@code SORA_MAX_IN_FLIGHT} and by system properties). Every value is checked against its bounds as it is
 * read, and each area's settings record reads all of its keys before anything is opened or started, so a bad
 * setting stops the run with one line naming it instead of failing later mid-batch.
 */
public final class Settings {

    private final Function<String, Optional<String>> source;

    public Settings(Function<String, Optional<String>> source) {
        this.source = source;
    }

    /** These settings with {@code values} over them: how an adapter is pointed at the simulator. */
    public Settings with(Map<String, String> values) {
        return new Settings(key -> values.containsKey(key) ? Optional.of(values.get(key)) : source.apply(key));
    }

    public String text(String key) {
        return source.apply(key).map(String::trim)
                .orElseThrow(() -> new SettingException(key, "is missing from config/application.properties"));
    }

    public String text(String key, String fallback) {
        return source.apply(key).map(String::trim).orElse(fallback);
    }

    public int integer(String key, int min) {
        return integer(key, min, Integer.MAX_VALUE);
    }

    public int integer(String key, int min, int max) {
        return (int) wholeNumber(key, min, max);
    }

    public long wholeNumber(String key, long min, long max) {
        long value = wholeNumber(key, min);
        if (value > max) {
            throw new SettingException(key, "must be at most " + max + ", got " + value);
        }
        return value;
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
        return millis(key, 0);
    }

    /** A duration of at least {@code minMillis}. */
    public long millis(String key, long minMillis) {
        String raw = text(key);
        long value;
        try {
            value = TimeUtils.toMilliSeconds(raw);
        } catch (RuntimeException e) { // Camel's parser throws more than IllegalArgumentException on some input
            throw new SettingException(key, "must be a duration such as 500, 2s, 5m or 1h, got '" + raw + "'");
        }
        if (value < minMillis) {
            throw new SettingException(key, minMillis == 0 ? "must not be negative, got " + raw
                    : minMillis == 1 ? "must be above 0, got " + raw : "must be at least " + minMillis + " ms, got " + raw);
        }
        return value;
    }

    /** {@link #millis(String, long)} as a {@link Duration}. */
    public Duration duration(String key, long minMillis) {
        return Duration.ofMillis(millis(key, minMillis));
    }

    /** Two settings that bound a range: {@code low} may not be above {@code high}. */
    public void ordered(String lowKey, long low, String highKey, long high) {
        if (low > high) {
            throw new SettingException(lowKey, "(" + text(lowKey) + ") must not be above " + highKey + " ("
                    + text(highKey) + ")");
        }
    }

    /** A Quartz cron expression, or empty for none; checked with Quartz's own parser. */
    public String cron(String key) {
        String raw = text(key, "");
        if (raw.isEmpty()) {
            return raw;
        }
        try {
            new CronExpression(raw);
            return raw;
        } catch (ParseException | RuntimeException e) {
            throw new SettingException(key, "must be a Quartz cron expression (seconds minutes hours day-of-month "
                    + "month day-of-week, e.g. 0 0/5 1-5 * * ?), got '" + raw + "': " + e.getMessage());
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
}

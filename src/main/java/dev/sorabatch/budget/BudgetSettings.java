package dev.sorabatch.budget;

import java.math.BigDecimal;

import dev.sorabatch.settings.SettingException;
import dev.sorabatch.settings.Settings;

/**
 * {@code sora.dry-run} and the spend limits {@code sora.budget.per-batch-usd} and {@code sora.budget.per-day-usd}
 * (empty: no limit). The day is the UTC day; both limits count the estimated list price of every create sent, by
 * every instance sharing the job store.
 *
 * @param perBatch null for no limit
 * @param perDay   null for no limit
 */
public record BudgetSettings(boolean dryRun, BigDecimal perBatch, BigDecimal perDay) {

    public static BudgetSettings from(Settings s) {
        return new BudgetSettings(s.flag("sora.dry-run"), usd(s, "sora.budget.per-batch-usd"),
                usd(s, "sora.budget.per-day-usd"));
    }

    public boolean limited() {
        return perBatch != null || perDay != null;
    }

    private static BigDecimal usd(Settings s, String key) {
        String raw = s.text(key, "").strip();
        if (raw.isEmpty()) {
            return null;
        }
        try {
            BigDecimal value = new BigDecimal(raw);
            if (value.signum() < 0) {
                throw new SettingException(key, "must be an amount in USD of 0 or more, got " + raw);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new SettingException(key, "must be an amount in USD such as 25 or 12.50, got '" + raw + "'");
        }
    }
}

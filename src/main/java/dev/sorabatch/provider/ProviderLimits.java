package dev.sorabatch.provider;

import dev.sorabatch.settings.Settings;

/**
 * One provider's own pace: {@code sora.<provider>.rate.requests-per-minute}, {@code sora.<provider>.rate.burst} and
 * {@code sora.<provider>.max-in-flight}, each falling back to the global {@code sora.rate.*} / {@code sora.max-in-flight}
 * when not set. Each provider of a mixed batch keeps to its own.
 */
public record ProviderLimits(int requestsPerMinute, int burst, int maxInFlight) {

    /** {@code provider}'s limits, those it does not set taken from {@code global}. */
    public static ProviderLimits from(Settings s, String provider, ProviderLimits global) {
        String prefix = "sora." + provider + ".";
        int perMinute = orElse(s, prefix + "rate.requests-per-minute", global.requestsPerMinute(), Integer.MAX_VALUE);
        return new ProviderLimits(perMinute, orElse(s, prefix + "rate.burst", Math.min(global.burst(), perMinute), perMinute),
                orElse(s, prefix + "max-in-flight", global.maxInFlight(), Integer.MAX_VALUE));
    }

    private static int orElse(Settings s, String key, int fallback, int max) {
        return s.text(key, "").isBlank() ? fallback : s.integer(key, 1, max);
    }
}

package dev.sorabatch.submit;

import dev.sorabatch.provider.ProviderLimits;
import dev.sorabatch.settings.Settings;

/**
 * {@code sora.rate.*}, {@code sora.max-in-flight} and {@code sora.reconcile.*}: how fast creates go out, how many
 * jobs may be at the provider at once, and how a create of unknown outcome is settled.
 *
 * @param createLeaseMillis  how long a SUBMITTING item belongs to its create: the HTTP response timeout (a create may
 *                           take that long) plus the reconcile settle time; only then may reconciliation take it
 * @param reconcileAfterMillis wait after an unknown outcome before the provider's list is searched
 */
public record SubmitSettings(int requestsPerMinute, int burst, long marginMillis, int maxInFlight,
                             long createLeaseMillis, long reconcileAfterMillis, long reconcileWindowMillis,
                             int reconcileAttempts) {

    public static SubmitSettings from(Settings s) {
        int perMinute = s.integer("sora.rate.requests-per-minute", 1);
        long settle = s.millis("sora.reconcile.settle-time");
        return new SubmitSettings(perMinute, s.integer("sora.rate.burst", 1, perMinute), s.millis("sora.rate.margin"),
                s.integer("sora.max-in-flight", 1),
                s.millis("camel.component.http.response-timeout", 1) + settle, settle,
                s.millis("sora.reconcile.window", 1000), s.integer("sora.reconcile.max-attempts", 1));
    }

    /** The global limits, which each provider's own fall back to. */
    public ProviderLimits limits() {
        return new ProviderLimits(requestsPerMinute, burst, maxInFlight);
    }
}

package dev.sorabatch.webhook;

import java.net.URI;
import java.util.LinkedHashSet;
import java.util.Set;

import dev.sorabatch.provider.Redactor;
import dev.sorabatch.settings.SettingException;
import dev.sorabatch.settings.Settings;

/**
 * {@code sora.webhooks.*}: where providers call back and how their callbacks are verified. A provider's callbacks
 * are on when it can be told where to call and its callbacks can be checked here: Replicate with the public URL and
 * its signing secret, fal and Pixazo with the public URL (fal's keys are public; Pixazo signs nothing), OpenAI with
 * its secret (its URL is set per project in OpenAI's dashboard). Secrets are never logged.
 *
 * @param publicUrl          base URL providers reach this server at, without a trailing slash; empty for none
 * @param openAiSecret       {@code whsec_…} of the OpenAI project's webhook endpoint; empty for none
 * @param replicateSecret    {@code whsec_…} of Replicate's default webhook; empty for none
 * @param falJwksUrl         fal's published signing keys
 * @param toleranceMillis    how far a callback's timestamp may be from now; copies are refused that long
 * @param maxBodyBytes       largest request body the HTTP server reads
 * @param safetyNetMillis    with callbacks on, how often a job is polled at most: the check for a lost callback
 */
public record WebhookSettings(String publicUrl, String openAiSecret, String replicateSecret, URI falJwksUrl,
                              long toleranceMillis, long maxBodyBytes, long safetyNetMillis) {

    public static WebhookSettings from(Settings s, boolean httpEnabled) {
        String publicUrl = s.text("sora.webhooks.public-url", "").strip();
        while (publicUrl.endsWith("/")) {
            publicUrl = publicUrl.substring(0, publicUrl.length() - 1);
        }
        if (!publicUrl.isEmpty()) {
            URI uri = uri(publicUrl, "sora.webhooks.public-url");
            if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new SettingException("sora.webhooks.public-url", "must be a base URL without query or fragment, "
                        + "got '" + publicUrl + "'");
            }
        }
        String openAi = secret(s, "sora.webhooks.openai-secret");
        String replicate = secret(s, "sora.webhooks.replicate-secret");
        if (!httpEnabled && (!publicUrl.isEmpty() || !openAi.isEmpty())) {
            throw new SettingException(publicUrl.isEmpty() ? "sora.webhooks.openai-secret" : "sora.webhooks.public-url",
                    "needs sora.http.enabled=true: callbacks arrive at its /webhooks/{provider}");
        }
        return new WebhookSettings(publicUrl, openAi, replicate,
                uri(s.text("sora.webhooks.fal-jwks-url"), "sora.webhooks.fal-jwks-url"),
                s.millis("sora.webhooks.tolerance", 1000), s.wholeNumber("sora.webhooks.max-body-bytes", 1024),
                s.millis("sora.webhooks.poll-interval", 1));
    }

    /** Providers whose callbacks are on: their jobs are polled only as a safety net. */
    public Set<String> calledBack() {
        Set<String> on = new LinkedHashSet<>();
        if (!openAiSecret.isEmpty()) {
            on.add("openai");
        }
        if (!publicUrl.isEmpty()) {
            if (!replicateSecret.isEmpty()) {
                on.add("replicate");
            }
            on.add("fal");
            on.add("pixazo");
        }
        return on;
    }

    /** The URL a create for {@code provider} names for its callback, or null when it names none. */
    public String callbackUrl(String provider) {
        return !provider.equals("openai") && calledBack().contains(provider) ? publicUrl + "/webhooks/" + provider
                : null;
    }

    /** Says which secrets are set, never what they are: a record would print them. */
    @Override
    public String toString() {
        return "WebhookSettings[publicUrl=" + (publicUrl.isEmpty() ? "none" : publicUrl) + ", openAiSecret="
                + (openAiSecret.isEmpty() ? "none" : "set") + ", replicateSecret="
                + (replicateSecret.isEmpty() ? "none" : "set") + ", falJwksUrl=" + falJwksUrl + ", toleranceMillis="
                + toleranceMillis + ", maxBodyBytes=" + maxBodyBytes + ", safetyNetMillis=" + safetyNetMillis + "]";
    }

    private static String secret(Settings s, String key) {
        String value = s.text(key, "").strip();
        if (!value.isEmpty()) {
            try {
                StandardWebhooks.key(value);
            } catch (IllegalArgumentException e) {
                throw new SettingException(key, "must be the whsec_… signing secret the provider gave (" + e.getMessage()
                        + ")");
            }
            Redactor.addSecret(value);
        }
        return value;
    }

    private static URI uri(String value, String key) {
        try {
            URI uri = URI.create(value);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (IllegalArgumentException e) {
            // refused below
        }
        throw new SettingException(key, "must be an http:// or https:// URL, got '" + value + "'");
    }
}

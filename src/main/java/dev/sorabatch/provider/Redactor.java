package dev.sorabatch.provider;

import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Takes secrets out of text that a provider sent, before it is logged, stored or written to a manifest: a provider
 * that echoes the key it was given (in a 401 or 500 body, say) must not put it in all three. Removed are the keys
 * the pipeline was configured with, as exact strings, and anything that looks like a credential: {@code Bearer}
 * tokens, {@code sk-} keys, AWS access key ids, JWTs, {@code api_key=…}-like pairs and long mixed letter-and-digit
 * tokens. {@link ProviderError} applies it, so every adapter's error text passes through here.
 */
public final class Redactor {

    static final String MARK = "[redacted]";

    /** Shorter strings are no provider's key, and would take common words out of messages. */
    private static final int MIN_SECRET_LENGTH = 8;
    private static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();
    private static final List<Pattern> TOKENS = List.of(
            Pattern.compile("(?i)(?<=\\bbearer\\s)\\s*[A-Za-z0-9._~+/=-]+"),
            Pattern.compile("\\bsk-[A-Za-z0-9_-]{8,}"),
            Pattern.compile("\\b(?:AKIA|ASIA)[A-Z0-9]{16}\\b"),
            Pattern.compile("\\beyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]*"),
            Pattern.compile("(?i)(?<=\\b(?:api[-_]?key|access[-_]?token|secret|password|token)[\"']?\\s{0,3}[:=]\\s{0,3}[\"']?)"
                    + "[^\\s\"',;&]+"),
            Pattern.compile("\\b(?=[A-Za-z0-9]*[0-9])(?=[A-Za-z0-9]*[A-Za-z])[A-Za-z0-9]{32,}\\b"));

    private Redactor() {
    }

    /** Adds a configured secret (an API key) to look for from now on. */
    public static void addSecret(String secret) {
        if (secret != null && secret.strip().length() >= MIN_SECRET_LENGTH) {
            SECRETS.add(secret.strip());
        }
    }

    /** The text without secrets; null stays null. */
    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String clean = text;
        // longest first, so a key that contains another is removed whole
        for (String secret : SECRETS.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList()) {
            clean = clean.replace(secret, MARK);
        }
        for (Pattern token : TOKENS) {
            clean = token.matcher(clean).replaceAll(MARK);
        }
        return clean;
    }
}

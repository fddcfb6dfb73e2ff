package dev.sorabatch.api;

import dev.sorabatch.settings.Settings;

/**
 * {@code sora.http.*}: the embedded HTTP server of health, metrics and the batch API. It binds to loopback unless
 * {@code host} opens it; {@code port} 0 takes any free port (logged at start). {@code token} guards the mutating
 * calls; without one they are refused. The token is never logged.
 */
public record HttpSettings(boolean enabled, String host, int port, String token, long healthTimeoutMillis) {

    public static HttpSettings from(Settings s) {
        return new HttpSettings(s.flag("sora.http.enabled"), s.text("sora.http.host"),
                s.integer("sora.http.port", 0, 65_535), s.text("sora.http.token", ""),
                s.millis("sora.http.health-timeout", 1));
    }

    /** Says whether a token is set, never which: a record would print it. */
    @Override
    public String toString() {
        return "HttpSettings[enabled=" + enabled + ", host=" + host + ", port=" + port + ", token="
                + (token.isEmpty() ? "none" : "set") + ", healthTimeoutMillis=" + healthTimeoutMillis + "]";
    }
}

package dev.sorabatch.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The bearer token of the mutating calls ({@code sora.http.token}). Compared in constant time over digests of
 * equal length, so neither the token's content nor its length leaks through timing. Without a token configured
 * every mutating call is refused: an open server must never let anyone cancel or re-send paid work.
 */
public final class ApiToken {

    /** Why a call was refused, with its HTTP status; null {@link #check} result means allowed. */
    public record Refusal(int status, String message) {
    }

    private static final String BEARER = "Bearer ";

    private final byte[] expected;

    public ApiToken(String token) {
        this.expected = token.isEmpty() ? null : digest(token);
    }

    /** @param authorization the request's {@code Authorization} header, or null */
    public Refusal check(String authorization) {
        if (expected == null) {
            return new Refusal(403, "mutating calls are refused: no sora.http.token is configured on this server");
        }
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return new Refusal(401, "this call needs Authorization: Bearer <sora.http.token>");
        }
        byte[] given = digest(authorization.substring(BEARER.length()).trim());
        return MessageDigest.isEqual(expected, given) ? null : new Refusal(401, "the bearer token is not the one configured");
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JVM has SHA-256
        }
    }
}

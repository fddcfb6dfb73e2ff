package dev.sorabatch.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * fal's webhook signatures (docs.fal.ai model-endpoints/webhooks, "Verifying Your Webhook"): an Ed25519 signature,
 * hex in {@code X-Fal-Webhook-Signature}, over the lines {@code request_id}, {@code user_id}, {@code timestamp} and the
 * hex SHA-256 of the raw body, joined by {@code \n}, the first three from the {@code X-Fal-Webhook-*} headers. It is
 * checked against every key of fal's JWKS (OKP / Ed25519, the raw key base64url in {@code x}): one match passes.
 * Ed25519 is in the JDK since 15, so no library is needed.
 */
public final class FalSignatures {

    /** The DER prefix of an X.509 Ed25519 public key: what precedes the 32 raw bytes (RFC 8410). */
    private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");
    private static final int RAW_KEY = 32;

    private FalSignatures() {
    }

    /** The signed message of one delivery. */
    public static byte[] message(String requestId, String userId, String timestamp, byte[] body) {
        return String.join("\n", requestId, userId, timestamp, sha256(body)).getBytes(StandardCharsets.UTF_8);
    }

    /** Hex SHA-256. */
    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e); // every JVM has SHA-256
        }
    }

    /** A JWK's {@code x} (base64url, 32 raw bytes) as a key; {@link IllegalArgumentException} when it is none. */
    public static PublicKey publicKey(String x) {
        byte[] raw = Base64.getUrlDecoder().decode(x);
        if (raw.length != RAW_KEY) {
            throw new IllegalArgumentException("an Ed25519 key is " + RAW_KEY + " bytes, got " + raw.length);
        }
        byte[] der = Arrays.copyOf(X509_PREFIX, X509_PREFIX.length + RAW_KEY);
        System.arraycopy(raw, 0, der, X509_PREFIX.length, RAW_KEY);
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 key: " + e.getMessage());
        }
    }

    /** A key's {@code x} as a JWKS publishes it: the raw 32 bytes, base64url without padding. */
    public static String x(PublicKey key) {
        byte[] der = key.getEncoded();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOfRange(der, der.length - RAW_KEY,
                der.length));
    }

    /** Whether {@code signatureHex} is the signature of {@code message} by any of {@code keys}. */
    static boolean verifies(List<PublicKey> keys, byte[] message, String signatureHex) {
        byte[] signature;
        try {
            signature = HexFormat.of().parseHex(signatureHex.trim());
        } catch (IllegalArgumentException e) {
            return false;
        }
        for (PublicKey key : keys) {
            try {
                Signature verifier = Signature.getInstance("Ed25519");
                verifier.initVerify(key);
                verifier.update(message);
                if (verifier.verify(signature)) {
                    return true;
                }
            } catch (GeneralSecurityException e) {
                // a malformed signature for this key: try the next
            }
        }
        return false;
    }
}

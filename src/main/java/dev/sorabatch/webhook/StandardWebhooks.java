package dev.sorabatch.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signatures of the Standard Webhooks specification (standard-webhooks/standard-webhooks {@code spec/standard-webhooks.md},
 * {@code libraries/java/.../WebhookBase.java}), as OpenAI (openai/openai-python {@code src/openai/resources/webhooks.py})
 * and Replicate (replicate.com/docs/topics/webhooks/verify-webhook) send them: {@code webhook-signature} is a
 * space-separated list of {@code v1,<base64>}, each an HMAC-SHA256 over {@code id + "." + timestamp + "." + body}
 * keyed with the base64 part of the {@code whsec_} secret. Any one matching {@code v1} entry passes; entries of other
 * versions are skipped.
 */
public final class StandardWebhooks {

    static final String PREFIX = "whsec_";
    private static final String V1 = "v1,";

    private StandardWebhooks() {
    }

    /** The HMAC key of a {@code whsec_…} secret; {@link IllegalArgumentException} when it is not one. */
    public static byte[] key(String secret) {
        if (secret == null || !secret.startsWith(PREFIX)) {
            throw new IllegalArgumentException("a Standard Webhooks secret starts with " + PREFIX);
        }
        byte[] key = Base64.getDecoder().decode(secret.substring(PREFIX.length()));
        if (key.length == 0) {
            throw new IllegalArgumentException("the secret after " + PREFIX + " is empty");
        }
        return key;
    }

    /** The header value {@code v1,<base64>} of one delivery, as a sender writes it. */
    public static String sign(byte[] key, String id, String timestamp, byte[] body) {
        return V1 + Base64.getEncoder().encodeToString(mac(key, id, timestamp, body));
    }

    /** Whether any {@code v1} signature of the header is the delivery's, compared in constant time. */
    static boolean matches(byte[] key, String id, String timestamp, byte[] body, String header) {
        byte[] expected = mac(key, id, timestamp, body);
        boolean match = false;
        for (String entry : header.trim().split("\\s+")) {
            if (!entry.startsWith(V1)) {
                continue;
            }
            byte[] given;
            try {
                given = Base64.getDecoder().decode(entry.substring(V1.length()));
            } catch (IllegalArgumentException e) {
                continue;
            }
            match |= MessageDigest.isEqual(expected, given);
        }
        return match;
    }

    private static byte[] mac(byte[] key, String id, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body); // the raw bytes as received: a re-encoded body would not match
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e); // every JVM has HmacSHA256
        }
    }
}

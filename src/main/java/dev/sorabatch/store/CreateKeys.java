package dev.sorabatch.store;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Idempotency keys for creates: random, so two installations that share a provider account never send the same key
 * for different items (an item key or a row number would collide).
 */
final class CreateKeys {

    private static final SecureRandom RANDOM = new SecureRandom();

    private CreateKeys() {
    }

    /** 32 hex characters (128 random bits). */
    static String next() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}

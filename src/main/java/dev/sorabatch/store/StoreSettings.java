package dev.sorabatch.store;

import dev.sorabatch.settings.Settings;

/**
 * {@code sora.store.*}: the job store.
 *
 * @param url           JDBC URL, {@code jdbc:h2:…} or {@code jdbc:postgresql:…}
 * @param allowVolatile accept an in-memory H2 database (tests, trials)
 */
public record StoreSettings(String url, String user, String password, int poolSize, boolean allowVolatile) {

    public static StoreSettings from(Settings s) {
        return new StoreSettings(s.text("sora.store.url"), s.text("sora.store.user", ""),
                s.text("sora.store.password", ""), s.integer("sora.store.pool-size", 2, 1000),
                s.flag("sora.store.allow-volatile"));
    }

    @Override
    public String toString() {
        return "StoreSettings[" + url + ", user " + user + "]"; // never the password
    }
}

package dev.sorabatch.reference;

import java.util.Set;

import dev.sorabatch.settings.SettingException;
import dev.sorabatch.settings.Settings;

/**
 * {@code sora.input-reference.*}: how far a row's first-frame image may reach and how large it may be.
 *
 * @param maxLength longest {@code input_reference} as written, in characters (a {@code data:} URL holds the image)
 */
public record ReferenceSettings(ReferencePolicy policy, int maxLength) {

    private static final int MAX_MB = 1024;

    public static ReferenceSettings from(Settings s) {
        int maxMb = s.integer("sora.input-reference.max-mb", 1, MAX_MB);
        ReferencePolicy policy;
        try {
            policy = new ReferencePolicy(Set.copyOf(s.list("sora.input-reference.allow-urls")),
                    Set.copyOf(s.list("sora.input-reference.allow-buckets")), maxMb * 1024 * 1024);
        } catch (IllegalArgumentException e) {
            throw new SettingException("sora.input-reference.allow-urls", e.getMessage());
        }
        return new ReferenceSettings(policy, s.integer("sora.input-reference.max-length", 1));
    }
}

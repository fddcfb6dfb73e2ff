package dev.sorabatch.ingest;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ValidationRulesTest {

    @Test
    void defaultsMatchSora2() {
        ValidationRules rules = ValidationRules.defaults();

        assertEquals(1000, rules.promptMaxLength());
        assertEquals(List.of(4, 8, 12), List.copyOf(rules.allowedSeconds()));
        assertEquals(4, rules.maxTakes());
        assertEquals("sora-2", rules.defaultModel());
        assertEquals(4, rules.defaultSeconds());
        assertEquals("720x1280", rules.defaultSize());
        assertEquals(List.of("sora-2", "sora-2-pro"), List.copyOf(rules.models()));
        assertEquals(List.of("720x1280", "1280x720"), List.copyOf(rules.sizesFor("sora-2")));
        assertEquals(List.of("720x1280", "1280x720", "1024x1792", "1792x1024"), List.copyOf(rules.sizesFor("sora-2-pro")));
    }

    @Test
    void parsesCommaLists() {
        assertEquals(List.of("sora-2-pro", "my-deployment"), List.copyOf(ValidationRules.parseList(" sora-2-pro, ,my-deployment,")));
        assertEquals(Set.of(), ValidationRules.parseList(null));
        assertEquals(Set.of(4, 8, 12, 16, 20), ValidationRules.parseNumbers("4, 8,12,16,20"));
    }

    @Test
    void refusesDefaultsItWouldReject() {
        Set<String> sizes = Set.of("720x1280");
        assertThrows(IllegalArgumentException.class, () -> new ValidationRules(1000, Set.of(4), 4, "sora-2", 8, "720x1280",
                sizes, Set.of(), Set.of(), Set.of()));
        assertThrows(IllegalArgumentException.class, () -> new ValidationRules(1000, Set.of(4), 4, "sora-3", 4, "720x1280",
                sizes, Set.of(), Set.of(), Set.of()));
        assertThrows(IllegalArgumentException.class, () -> new ValidationRules(1000, Set.of(4), 4, "sora-2", 4, "1792x1024",
                sizes, Set.of("1792x1024"), Set.of("sora-2-pro"), Set.of()));
        assertThrows(IllegalArgumentException.class, () -> new ValidationRules(0, Set.of(4), 4, "sora-2", 4, "720x1280",
                sizes, Set.of(), Set.of(), Set.of()));
    }
}

package dev.sorabatch.simulator;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import dev.sorabatch.settings.SettingException;
import dev.sorabatch.settings.Settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimulatorSettingsTest {

    @Test
    void readsKnobsFromTheSimulatorSettingsOverThePackagedDefaults() throws Exception {
        Map<String, String> props = Map.of("sora.simulator.generation-min", "300",
                "sora.simulator.generation-max", "2s",
                "sora.simulator.creates-per-minute", "50",
                "sora.simulator.drop-share", "0.25",
                "sora.simulator.content-expiry", "3m",
                "sora.simulator.blocked-word", "",
                "sora.simulator.poll-after", "1500",
                "sora.simulator.api-key", "sk-local",
                "sora.simulator.echo-key", "true");
        props.forEach(System::setProperty);
        SimulatorSettings settings;
        try {
            settings = SimulatorSettings.from(SimulatorMain.settings());
        } finally {
            props.keySet().forEach(System::clearProperty);
        }

        assertEquals(Duration.ofMillis(300), settings.generationMin());
        assertEquals(Duration.ofSeconds(2), settings.generationMax());
        assertEquals(50, settings.createsPerMinute());
        assertEquals(0.25, settings.dropShare());
        assertEquals(Duration.ofMinutes(3), settings.contentExpiry());
        assertNull(settings.blockedWord());
        assertEquals(1500L, settings.pollAfterMillis());
        assertEquals("sk-local", settings.requiredApiKey());
        assertTrue(settings.echoKey());
        assertEquals(Duration.ofHours(1), new SimulatorSettings().contentExpiry());
    }

    @Test
    void generationTimesStayWithinTheRangeAndFollowTheSeed() {
        SimulatorSettings settings = new SimulatorSettings().generationTime(Duration.ofMillis(100), Duration.ofMillis(120));
        long[] first = new long[50];
        settings.seed(7);
        for (int i = 0; i < first.length; i++) {
            first[i] = settings.drawGenerationTime().toMillis();
            assertTrue(first[i] >= 100 && first[i] <= 120, "drawn " + first[i]);
        }
        settings.seed(7);
        for (long drawn : first) {
            assertEquals(drawn, settings.drawGenerationTime().toMillis());
        }
    }

    @Test
    void rejectsImpossibleValues() {
        SimulatorSettings settings = new SimulatorSettings();
        assertThrows(IllegalArgumentException.class, () -> settings.failureShare(1.5));
        assertThrows(IllegalArgumentException.class, () -> settings.serverErrorShare(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> settings.generationTime(Duration.ofSeconds(5), Duration.ofSeconds(2)));
        Settings twoWeeks = new Settings(key -> Optional.of(key.equals("sora.simulator.generation-min") ? "2 weeks" : "1s"));
        assertThrows(SettingException.class, () -> SimulatorSettings.from(twoWeeks));
    }
}

package dev.sorabatch.provider.simulator;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimulatorSettingsTest {

    @Test
    void readsKnobsFromProperties() {
        Properties props = new Properties();
        props.setProperty("sim.generation", "300ms..2s");
        props.setProperty("sim.createsPerMinute", "50");
        props.setProperty("sim.dropShare", "0.25");
        props.setProperty("sim.expiry", "3m");
        props.setProperty("sim.blockedWord", "");
        props.setProperty("sim.pollAfterMs", "1500");
        props.setProperty("sim.apiKey", "sk-local");
        props.setProperty("sim.echoKey", "true");

        SimulatorSettings settings = SimulatorSettings.fromProperties(props);

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
        assertThrows(IllegalArgumentException.class, () -> SimulatorSettings.parseDuration("2 weeks"));
    }
}

package dev.sorabatch.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.sorabatch.settings.SettingException;
import dev.sorabatch.settings.Settings;

class ProviderLimitsTest {

    private static final ProviderLimits GLOBAL = new ProviderLimits(20, 4, 10);

    private static Settings settings(Map<String, String> values) {
        return new Settings(k -> Optional.ofNullable(values.get(k)));
    }

    @Test
    void aProvidersOwnLimitsWinAndTheRestFallBackToTheGlobalOnes() {
        Settings s = settings(Map.of("sora.runway.max-in-flight", "2", "sora.fal.rate.requests-per-minute", "3",
                "sora.fal.rate.burst", ""));
        assertThat(ProviderLimits.from(s, "runway", GLOBAL)).isEqualTo(new ProviderLimits(20, 4, 2));
        assertThat(ProviderLimits.from(s, "fal", GLOBAL)).as("the burst is capped at the provider's rate")
                .isEqualTo(new ProviderLimits(3, 3, 10));
        assertThat(ProviderLimits.from(s, "openai", GLOBAL)).isEqualTo(GLOBAL);
    }

    @Test
    void aBadValueNamesItsSetting() {
        assertThatThrownBy(() -> ProviderLimits.from(settings(Map.of("sora.fal.max-in-flight", "0")), "fal", GLOBAL))
                .isInstanceOf(SettingException.class).hasMessageContaining("sora.fal.max-in-flight");
    }
}

package dev.sorabatch.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.sorabatch.catalog.ModelCatalog;
import dev.sorabatch.store.StoredClips;

class CsvCellsTest {

    @Test
    void formulaLikeTextIsNeutralisedAndNumbersAreNot() {
        assertThat(CsvCells.safe(List.of("=HYPERLINK(\"x\")", "+1", "-cmd", "@SUM(A1)", "plain", 42, "")))
                .containsExactly("'=HYPERLINK(\"x\")", "'+1", "'-cmd", "'@SUM(A1)", "plain", 42, "");
    }

    @Test
    void costUsesModelAndSizeBeforeModel() {
        CostEstimate cost = new CostEstimate(Map.of("sora-2", "0.10", "sora-2-pro", "0.30", "sora-2-pro@1792x1024", "0.50"),
                ModelCatalog.builtIn());
        assertThat(cost.usd(List.of(clips("openai", "sora-2", "720x1280", 12), clips("openai", "sora-2-pro", "1280x720", 4),
                clips("openai", "sora-2-pro", "1792x1024", 8), clips("openai", "other", "720x1280", 4))))
                .isEqualByComparingTo("6.40");
    }

    @Test
    void costOfAModelNotPricedBySettingsIsTheCataloguesListPrice() {
        CostEstimate cost = new CostEstimate(Map.of("sora-2", "0.10"), ModelCatalog.builtIn());
        ModelCatalog catalog = ModelCatalog.builtIn();
        BigDecimal veo = catalog.cost("runway", "veo3.1", 8, "720p", true).orElseThrow();
        BigDecimal silent = catalog.cost("runway", "veo3.1", 8, "720p", false).orElseThrow();
        assertThat(cost.usd(List.of(new StoredClips("runway", "veo3.1", "1280x720", "720p", true, 8),
                new StoredClips("runway", "veo3.1", "1280x720", "720p", false, 8),
                clips("openai", "sora-2", "720x1280", 4)))).isEqualByComparingTo(veo.add(silent).add(new BigDecimal("0.40")));
    }

    private static StoredClips clips(String provider, String model, String size, long seconds) {
        return new StoredClips(provider, model, size, null, null, seconds);
    }
}

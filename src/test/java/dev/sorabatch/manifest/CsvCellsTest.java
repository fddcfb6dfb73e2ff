package dev.sorabatch.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class CsvCellsTest {

    @Test
    void formulaLikeTextIsNeutralisedAndNumbersAreNot() {
        assertThat(CsvCells.safe(List.of("=HYPERLINK(\"x\")", "+1", "-cmd", "@SUM(A1)", "plain", 42, "")))
                .containsExactly("'=HYPERLINK(\"x\")", "'+1", "'-cmd", "'@SUM(A1)", "plain", 42, "");
    }

    @Test
    void costUsesModelAndSizeBeforeModel() {
        CostEstimate cost = new CostEstimate(Map.of("sora-2", "0.10", "sora-2-pro", "0.30", "sora-2-pro@1792x1024", "0.50"));
        assertThat(cost.usd(Map.of("sora-2@720x1280", 12L, "sora-2-pro@1280x720", 4L, "sora-2-pro@1792x1024", 8L,
                "other@720x1280", 4L))).isEqualByComparingTo("6.40");
    }
}

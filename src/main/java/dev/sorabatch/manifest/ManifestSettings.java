package dev.sorabatch.manifest;

import java.nio.file.Path;

import dev.sorabatch.catalog.ModelCatalog;
import dev.sorabatch.settings.Settings;

/**
 * {@code sora.cost.usd-per-second} and {@code sora.data-dir}: the prices behind {@code estimated_cost_usd}, and the
 * working folder where manifests are drafted before they are written to the output.
 */
public record ManifestSettings(CostEstimate cost, Path tempDir) {

    /** @param catalog the list prices of models that {@code sora.cost.usd-per-second} does not price */
    public static ManifestSettings from(Settings s, ModelCatalog catalog) {
        return new ManifestSettings(new CostEstimate(s.map("sora.cost.usd-per-second"), catalog),
                Path.of(s.text("sora.data-dir"), "tmp"));
    }
}

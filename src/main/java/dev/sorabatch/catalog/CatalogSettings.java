package dev.sorabatch.catalog;

import java.nio.file.Path;

import dev.sorabatch.settings.SettingException;
import dev.sorabatch.settings.Settings;

/** {@code sora.catalog.file}: the built-in catalogue, with the user's file over it when one is named. */
public final class CatalogSettings {

    private CatalogSettings() {
    }

    /** @throws SettingException naming {@code sora.catalog.file} when it is not a usable catalogue */
    public static ModelCatalog catalog(Settings s) {
        String file = s.text("sora.catalog.file", "").strip();
        try {
            return file.isEmpty() ? ModelCatalog.builtIn() : ModelCatalog.load(Path.of(file));
        } catch (CatalogException e) {
            throw new SettingException("sora.catalog.file", "is not a usable catalogue: " + e.getMessage());
        }
    }
}

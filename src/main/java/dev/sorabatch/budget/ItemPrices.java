package dev.sorabatch.budget;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Optional;

import dev.sorabatch.catalog.Audio;
import dev.sorabatch.catalog.CatalogException;
import dev.sorabatch.catalog.Frame;
import dev.sorabatch.catalog.ModelCatalog;
import dev.sorabatch.catalog.ModelSpec;
import dev.sorabatch.settings.SettingException;
import dev.sorabatch.settings.Settings;
import dev.sorabatch.store.Item;

/**
 * An item's list price and whether its model promises sound, from the model catalogue (the built-in one with
 * {@code sora.catalog.file} over it). Items are priced as the provider's catalogue entry lists their model, length
 * and frame; a model the catalogue does not list has no price.
 */
public final class ItemPrices {

    /** The catalogue section of the one wire format the pipeline speaks today (the simulator speaks it too). */
    static final String CATALOGUE_PROVIDER = "openai";

    private final ModelCatalog catalog;
    private final String provider;

    public ItemPrices(ModelCatalog catalog, String provider) {
        this.catalog = catalog;
        this.provider = provider;
    }

    /** @throws SettingException naming {@code sora.catalog.file} when it is not a usable catalogue */
    public static ItemPrices from(Settings s) {
        String file = s.text("sora.catalog.file", "");
        try {
            return new ItemPrices(file.isBlank() ? ModelCatalog.builtIn() : ModelCatalog.load(Path.of(file)),
                    CATALOGUE_PROVIDER);
        } catch (CatalogException e) {
            throw new SettingException("sora.catalog.file", e.getMessage());
        }
    }

    /** The item's list price in USD, unrounded; empty when the catalogue has none for its model or frame. */
    public Optional<BigDecimal> usd(Item item) {
        return model(item).flatMap(m -> Frame.ofSize(item.size() == null ? m.defaultFrame().size() : item.size())
                .flatMap(frame -> catalog.cost(provider, m.id(), seconds(item, m), frame.resolution(),
                        m.audio().byDefault())));
    }

    /** Whether the item's video should have a sound track: its model makes sound unless told otherwise. */
    public boolean audioPromised(Item item) {
        return model(item).map(m -> m.audio() != Audio.NONE && m.audio().byDefault()).orElse(false);
    }

    private Optional<ModelSpec> model(Item item) {
        return item.model() == null ? Optional.of(catalog.defaultModel(provider)) : catalog.model(provider, item.model());
    }

    private static int seconds(Item item, ModelSpec model) {
        return item.seconds() == null ? model.defaultSeconds() : item.seconds();
    }
}

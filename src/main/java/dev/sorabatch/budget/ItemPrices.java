package dev.sorabatch.budget;

import java.math.BigDecimal;
import java.util.Optional;

import dev.sorabatch.catalog.Audio;
import dev.sorabatch.catalog.Frame;
import dev.sorabatch.catalog.ModelCatalog;
import dev.sorabatch.catalog.ModelSpec;
import dev.sorabatch.store.Item;

/**
 * An item's list price and whether its model promises sound, from the model catalogue (the built-in one with
 * {@code sora.catalog.file} over it). Items are priced as the provider's catalogue entry lists their model, length
 * and frame; a model the catalogue does not list has no price.
 */
public final class ItemPrices {


    private final ModelCatalog catalog;
    private final String defaultProvider;

    /** @param defaultProvider the catalogue section of items stored before rows named their provider */
    public ItemPrices(ModelCatalog catalog, String defaultProvider) {
        this.catalog = catalog;
        this.defaultProvider = defaultProvider;
    }

    /** The item's list price in USD, unrounded; empty when the catalogue has none for its model or frame. */
    public Optional<BigDecimal> usd(Item item) {
        return model(item).flatMap(m -> Frame.ofSize(item.size() == null ? m.defaultFrame().size() : item.size())
                .flatMap(frame -> catalog.cost(provider(item), m.id(), seconds(item, m), frame.resolution(),
                        audio(item, m))));
    }

    /** Whether the item's video should have a sound track: its model makes sound unless told otherwise. */
    public boolean audioPromised(Item item) {
        return model(item).map(m -> m.audio() != Audio.NONE && audio(item, m)).orElse(false);
    }

    private Optional<ModelSpec> model(Item item) {
        String provider = provider(item);
        return item.model() == null ? Optional.of(catalog.defaultModel(provider)) : catalog.model(provider, item.model());
    }

    private String provider(Item item) {
        return item.provider() == null ? defaultProvider : item.provider();
    }

    /** Sound as the row asked for it, else as the model makes it by default. */
    private static boolean audio(Item item, ModelSpec model) {
        return item.audio() != null ? item.audio() : model.audio().byDefault();
    }

    private static int seconds(Item item, ModelSpec model) {
        return item.seconds() == null ? model.defaultSeconds() : item.seconds();
    }
}

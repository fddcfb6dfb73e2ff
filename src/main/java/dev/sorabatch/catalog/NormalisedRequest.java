package dev.sorabatch.catalog;

import java.math.BigDecimal;

/**
 * A request the catalogue accepted, with every default filled in: what is stored with the item, shown in the
 * manifest and sent (through {@link ModelCatalog#wire}) to the provider.
 *
 * @param frame        its size and its aspect ratio + resolution (the size is nominal where the provider is asked by
 *                     aspect ratio)
 * @param usdPerSecond the list price of this frame with or without sound
 */
public record NormalisedRequest(String provider, String model, int seconds, Frame frame, boolean audio,
                                BigDecimal usdPerSecond) {

    /** The list price of the whole clip, unrounded. */
    public BigDecimal usd() {
        return usdPerSecond.multiply(BigDecimal.valueOf(seconds));
    }
}

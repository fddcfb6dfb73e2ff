package dev.sorabatch.catalog;

/**
 * What a row asks of a provider's model, in the rows' vocabulary, before it is checked. A null field was not given
 * and gets the model's default; {@code size} and {@code aspectRatio} / {@code resolution} are alternatives.
 *
 * @param audio        whether the row wants sound ({@code generate_audio}); null: the model's default
 * @param image        whether the row gives a first-frame image ({@code input_reference})
 * @param remix        whether the row remixes an earlier video ({@code remix_of})
 * @param promptLength the length of the composed prompt, in the characters the caller counts
 */
public record ModelRequest(String provider, String model, Integer seconds, String size, String aspectRatio,
                           String resolution, Boolean audio, boolean image, boolean remix, int promptLength) {
}

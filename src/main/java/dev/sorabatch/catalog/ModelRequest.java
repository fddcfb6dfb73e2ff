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

    /** A request to the provider's default model with every default and an empty prompt. */
    public static ModelRequest to(String provider) {
        return new ModelRequest(provider, null, null, null, null, null, null, false, false, 0);
    }

    public ModelRequest withModel(String model) {
        return new ModelRequest(provider, model, seconds, size, aspectRatio, resolution, audio, image, remix, promptLength);
    }

    public ModelRequest withSeconds(Integer seconds) {
        return new ModelRequest(provider, model, seconds, size, aspectRatio, resolution, audio, image, remix, promptLength);
    }

    public ModelRequest withSize(String size) {
        return new ModelRequest(provider, model, seconds, size, aspectRatio, resolution, audio, image, remix, promptLength);
    }

    public ModelRequest withAspectRatio(String aspectRatio) {
        return new ModelRequest(provider, model, seconds, size, aspectRatio, resolution, audio, image, remix, promptLength);
    }

    public ModelRequest withResolution(String resolution) {
        return new ModelRequest(provider, model, seconds, size, aspectRatio, resolution, audio, image, remix, promptLength);
    }

    public ModelRequest withAudio(Boolean audio) {
        return new ModelRequest(provider, model, seconds, size, aspectRatio, resolution, audio, image, remix, promptLength);
    }

    public ModelRequest withImage(boolean image) {
        return new ModelRequest(provider, model, seconds, size, aspectRatio, resolution, audio, image, remix, promptLength);
    }

    public ModelRequest withRemix(boolean remix) {
        return new ModelRequest(provider, model, seconds, size, aspectRatio, resolution, audio, image, remix, promptLength);
    }

    public ModelRequest withPromptLength(int promptLength) {
        return new ModelRequest(provider, model, seconds, size, aspectRatio, resolution, audio, image, remix, promptLength);
    }
}

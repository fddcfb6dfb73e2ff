package dev.sorabatch.provider;

import java.util.Objects;

import dev.sorabatch.catalog.Frame;

/**
 * One generation as sent to a provider, in the catalogue's vocabulary; the adapter maps it to its wire form
 * ({@link dev.sorabatch.catalog.ModelSpec#wire}).
 *
 * @param prompt  the composed prompt, exactly as sent
 * @param model   the catalogue's model id, e.g. {@code sora-2}, {@code veo3.1}, {@code fal-ai/veo3.1}
 * @param seconds clip length
 * @param frame   size and aspect ratio + resolution
 * @param audio   whether a sound track is asked for (sent where the model lets it be switched)
 * @param image   first-frame image, or null; adapters get its bytes, never a reference of ours
 * @param remixOf provider job id to remix, or null
 */
public record VideoRequest(String prompt, String model, int seconds, Frame frame, boolean audio, ReferenceImage image,
                           String remixOf) {

    public VideoRequest {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(frame, "frame");
    }
}

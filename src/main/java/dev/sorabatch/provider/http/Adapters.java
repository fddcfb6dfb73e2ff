package dev.sorabatch.provider.http;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.sorabatch.catalog.Audio;
import dev.sorabatch.catalog.ModelCatalog;
import dev.sorabatch.catalog.ModelSpec;
import dev.sorabatch.catalog.Wire;
import dev.sorabatch.provider.ProviderError;
import dev.sorabatch.provider.ProviderException;
import dev.sorabatch.provider.ProviderException.Kind;
import dev.sorabatch.provider.ReferenceImage;
import dev.sorabatch.provider.Variant;
import dev.sorabatch.provider.VideoRequest;

/**
 * What the JSON adapters share: the checks made before anything is sent (each failure final for the request, saying
 * why) and the reading of common answer fields.
 */
public final class Adapters {

    private Adapters() {
    }

    /** The catalogue's entry for the request's model: the adapter's wire form comes from it. */
    public static ModelSpec model(ModelCatalog catalog, String provider, String model) throws ProviderException {
        return catalog.model(provider, model).orElseThrow(() -> rejected("model_unknown", "model " + model
                + " is not in the catalogue of " + provider + "; add it with sora.catalog.file"));
    }

    /** A provider call whose failure of the given kinds is no failure (a cancel of a job already gone, say). */
    @FunctionalInterface
    public interface Call {
        void run() throws ProviderException;
    }

    public static void unless(Call call, Kind... harmless) throws ProviderException {
        try {
            call.run();
        } catch (ProviderException e) {
            for (Kind kind : harmless) {
                if (e.kind() == kind) {
                    return;
                }
            }
            throw e;
        }
    }

    /**
     * The Veo-style model input that fal and Replicate share: {@code prompt}, {@code aspect_ratio} and
     * {@code resolution} where the model's wire form has them, {@code duration} in the model's form, and
     * {@code generate_audio} where the model lets sound be switched.
     */
    public static ObjectNode veoStyleInput(ObjectNode input, ModelSpec model, VideoRequest request) {
        Wire.Values wire = model.wire(request.seconds(), request.frame().size());
        input.put("prompt", request.prompt());
        if (wire.aspectRatio() != null) {
            input.put("aspect_ratio", wire.aspectRatio());
        }
        if (wire.resolution() != null) {
            input.put("resolution", wire.resolution());
        }
        input.set("duration", wire.seconds());
        if (model.audio() == Audio.OPTIONAL) {
            input.put("generate_audio", request.audio());
        }
        return input;
    }

    /** The image as a data URI, refused when longer than the provider takes. */
    public static String dataUri(ReferenceImage image, long maxLength, String provider) throws ProviderException {
        if (image.dataUriLength() > maxLength) {
            throw rejected("input_reference_too_large", "the input_reference image is " + image.bytes().length
                    + " bytes; " + provider + " takes images of up to " + maxLength * 3 / 4 / 1024 + " KiB inline");
        }
        return image.dataUri();
    }

    /** A download of a variant the provider does not serve. */
    public static ProviderException noSuchVariant(String provider, Variant variant) {
        return new ProviderException(Kind.NOT_FOUND, 0, new ProviderError("variant_unavailable",
                provider + " serves no " + variant.wire()), null, null);
    }

    /** An ISO-8601 time ({@code 2024-04-22T11:15:01.04Z}), or null when it is missing or not one. */
    public static Instant instant(JsonNode text) {
        try {
            return text.isTextual() ? Instant.parse(text.asText()) : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    public static ProviderException rejected(String code, String message) {
        return new ProviderException(Kind.REJECTED, 0, new ProviderError(code, message), null, null);
    }
}

package dev.sorabatch.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;

/** How a model's frame and length are written in the provider's request body. */
public record Wire(SizeForm size, SecondsForm seconds) {

    public enum SizeForm {
        /** {@code "1280x720"}: OpenAI-compatible {@code size}, Pixazo, Nova Reel {@code dimension} */
        SIZE("size"),
        /** {@code "1280:720"}: Runway {@code ratio} */
        RATIO("ratio"),
        /** {@code "16:9"} alone; the resolution is the model's own (Kling) */
        ASPECT_RATIO("aspect_ratio"),
        /** {@code "16:9"} and {@code "720p"}: Veo, Luma, fal */
        ASPECT_RATIO_AND_RESOLUTION("aspect_ratio+resolution");

        final String label;

        SizeForm(String label) {
            this.label = label;
        }
    }

    public enum SecondsForm {
        /** {@code 8} */
        NUMBER("number"),
        /** {@code "8"}: OpenAI's {@code seconds}, Kling on fal */
        STRING("string"),
        /** {@code "8s"}: Veo on fal, Luma on Bedrock */
        STRING_S("string+s");

        final String label;

        SecondsForm(String label) {
            this.label = label;
        }
    }

    /**
     * What an adapter puts in its body, under its own field names. {@code seconds} is a JSON number or string;
     * {@code size} is {@code 1280x720} or {@code 1280:720} for the size forms, null otherwise; {@code aspectRatio}
     * and {@code resolution} are set for the aspect-ratio forms that carry them, null otherwise.
     */
    public record Values(JsonNode seconds, String size, String aspectRatio, String resolution) {
    }

    Values values(Frame frame, int seconds) {
        JsonNode length = switch (this.seconds) {
            case NUMBER -> IntNode.valueOf(seconds);
            case STRING -> TextNode.valueOf(String.valueOf(seconds));
            case STRING_S -> TextNode.valueOf(seconds + "s");
        };
        return switch (size) {
            case SIZE -> new Values(length, frame.size(), null, null);
            case RATIO -> new Values(length, frame.ratio(), null, null);
            case ASPECT_RATIO -> new Values(length, null, frame.aspectRatio(), null);
            case ASPECT_RATIO_AND_RESOLUTION -> new Values(length, null, frame.aspectRatio(), frame.resolution());
        };
    }
}

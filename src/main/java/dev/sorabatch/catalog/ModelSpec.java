package dev.sorabatch.catalog;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What one model of one provider accepts and costs.
 *
 * @param provider       the catalogue's provider name ({@code runway}, {@code fal}, …)
 * @param id             the model id as the provider spells it ({@code veo3.1}, {@code fal-ai/veo3.1},
 *                       {@code google/veo-3.1}, {@code luma.ray-v2:0})
 * @param seconds        the lengths it makes
 * @param defaultSeconds the length of a row that gives none
 * @param frames         the frames it makes; the first is the default
 * @param listedBySize   whether the catalogue lists its frames as sizes (else as aspect ratios × resolutions)
 * @param promptLimit    the longest prompt in characters, where the provider sets one
 * @param note           shown in the README's table, e.g. an end-of-life notice
 */
public record ModelSpec(String provider, String id, Durations seconds, int defaultSeconds, List<Frame> frames,
                        boolean listedBySize, Audio audio, ImageInput image, boolean remix, OptionalInt promptLimit,
                        Pricing pricing, Wire wire, Optional<String> note) {

    public ModelSpec {
        frames = List.copyOf(frames);
    }

    public Frame defaultFrame() {
        return frames.get(0);
    }

    public List<String> sizes() {
        return frames.stream().map(Frame::size).toList();
    }

    public List<String> aspectRatios() {
        return frames.stream().map(Frame::aspectRatio).distinct().toList();
    }

    public List<String> resolutions() {
        return frames.stream().map(Frame::resolution).distinct().toList();
    }

    /** The price per second of a frame of this resolution, with or without sound; empty where none is listed. */
    public Optional<BigDecimal> usdPerSecond(String resolution, boolean audio) {
        return pricing.usdPerSecond(resolution, audio);
    }

    /**
     * The wire form of a request to this model, by the size it was normalised to (as stored with an item).
     *
     * @throws IllegalArgumentException when the size is not one of this model's frames
     */
    public Wire.Values wire(int seconds, String size) {
        Frame frame = frames.stream().filter(f -> f.size().equals(Frame.normal(size))).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(provider + " model " + id + " makes no " + size + " frames"));
        return wire.values(frame, seconds);
    }
}

package dev.sorabatch.catalog;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads catalogue files into entries, lays a user's entries over the built-in ones and builds the models.
 * An entry holds what one file says (null: not said), so that a user's file can name a single field of a model;
 * only the merged model has to be complete.
 */
final class CatalogReader {

    private static final Set<String> TOP_FIELDS = Set.of("providers");
    private static final Set<String> PROVIDER_FIELDS = Set.of("default", "wire", "models");
    private static final Set<String> WIRE_FIELDS = Set.of("size", "seconds");
    private static final Set<String> MODEL_FIELDS = Set.of("seconds", "default_seconds", "sizes", "aspect_ratios",
            "resolutions", "audio", "image", "remix", "prompt_limit", "usd_per_second", "note", "wire");
    private static final Set<String> SOUND_FIELDS = Set.of("with_audio", "without_audio");
    private static final Pattern RANGE = Pattern.compile("(\\d{1,4})\\s*\\.\\.\\s*(\\d{1,4})");
    private static final int MAX_SECONDS = 600;
    private static final int MAX_PROMPT_LIMIT = 100_000;

    record WireEntry(Wire.SizeForm size, Wire.SecondsForm seconds) {
        static final WireEntry NONE = new WireEntry(null, null);

        WireEntry over(WireEntry base) {
            return new WireEntry(size != null ? size : base.size, seconds != null ? seconds : base.seconds);
        }
    }

    /** A model as one file states it; {@code sizes} and {@code aspectRatios} + {@code resolutions} are alternatives. */
    record ModelEntry(YamlNode origin, Durations seconds, Integer defaultSeconds, List<Frame> sizes,
                      List<String> aspectRatios, List<String> resolutions, Audio audio, ImageInput image, Boolean remix,
                      Integer promptLimit, Pricing pricing, String note, WireEntry wire) {

        /** This entry's fields where it has them, the base's elsewhere; a vocabulary given replaces the other one. */
        ModelEntry over(ModelEntry base) {
            boolean bySize = sizes != null;
            boolean byAspect = aspectRatios != null || resolutions != null;
            return new ModelEntry(origin, or(seconds, base.seconds), or(defaultSeconds, base.defaultSeconds),
                    bySize ? sizes : byAspect ? null : base.sizes,
                    bySize ? null : byAspect ? or(aspectRatios, base.aspectRatios) : base.aspectRatios,
                    bySize ? null : byAspect ? or(resolutions, base.resolutions) : base.resolutions,
                    or(audio, base.audio), or(image, base.image), or(remix, base.remix), or(promptLimit, base.promptLimit),
                    or(pricing, base.pricing), or(note, base.note), wire.over(base.wire));
        }
    }

    record ProviderEntry(YamlNode origin, String defaultModel, WireEntry wire, Map<String, ModelEntry> models) {

        ProviderEntry over(ProviderEntry base) {
            Map<String, ModelEntry> merged = new LinkedHashMap<>(base.models);
            models.forEach((id, model) -> merged.merge(id, model, (old, given) -> given.over(old)));
            return new ProviderEntry(origin, or(defaultModel, base.defaultModel), wire.over(base.wire), merged);
        }
    }

    private CatalogReader() {
    }

    static Map<String, ProviderEntry> read(String name, byte[] content) {
        Map<String, ProviderEntry> providers = new LinkedHashMap<>();
        Optional.ofNullable(YamlNode.parse(name, content).fields(TOP_FIELDS).get("providers"))
                .ifPresent(all -> all.named().forEach((provider, node) -> providers.put(provider, provider(node))));
        return providers;
    }

    /** The base's providers with the overlay's laid over them, then the overlay's new providers. */
    static Map<String, ProviderEntry> merge(Map<String, ProviderEntry> base, Map<String, ProviderEntry> overlay) {
        Map<String, ProviderEntry> merged = new LinkedHashMap<>(base);
        overlay.forEach((name, provider) -> merged.merge(name, provider, (old, given) -> given.over(old)));
        return merged;
    }

    /** The complete models, checked: every problem names the file and line that last stated the entry. */
    static Map<String, ModelCatalog.Provider> build(Map<String, ProviderEntry> entries) {
        Map<String, ModelCatalog.Provider> providers = new LinkedHashMap<>();
        entries.forEach((name, entry) -> {
            Map<String, ModelSpec> models = new LinkedHashMap<>();
            entry.models().forEach((id, model) -> models.put(id, spec(name, id, model, entry.wire())));
            if (entry.defaultModel() == null) {
                throw entry.origin().problem("default is missing: name the model of rows that name none");
            }
            if (!models.containsKey(entry.defaultModel())) {
                throw entry.origin().problem("default " + entry.defaultModel() + " is not one of its models ("
                        + String.join(", ", models.keySet()) + ")");
            }
            providers.put(name, new ModelCatalog.Provider(name, entry.defaultModel(), models));
        });
        return providers;
    }

    private static ProviderEntry provider(YamlNode node) {
        Map<String, YamlNode> fields = node.fields(PROVIDER_FIELDS);
        Map<String, ModelEntry> models = new LinkedHashMap<>();
        Optional.ofNullable(fields.get("models")).ifPresent(all -> all.named().forEach((id, model) -> models.put(id, model(model))));
        return new ProviderEntry(node, text(fields.get("default")), wire(fields.get("wire")), models);
    }

    private static ModelEntry model(YamlNode node) {
        Map<String, YamlNode> f = node.fields(MODEL_FIELDS);
        if (f.containsKey("sizes") && (f.containsKey("aspect_ratios") || f.containsKey("resolutions"))) {
            throw node.problem("give either sizes or aspect_ratios and resolutions, not both");
        }
        return new ModelEntry(node, read(f.get("seconds"), CatalogReader::durations),
                read(f.get("default_seconds"), n -> n.wholeNumber(1, MAX_SECONDS)),
                read(f.get("sizes"), n -> n.items().stream().map(CatalogReader::size).toList()),
                read(f.get("aspect_ratios"), n -> n.items().stream().map(CatalogReader::aspectRatio).toList()),
                read(f.get("resolutions"), n -> n.items().stream().map(CatalogReader::resolution).toList()),
                read(f.get("audio"), n -> choice(n, Audio.values(), a -> a.name().toLowerCase(Locale.ROOT))),
                read(f.get("image"), n -> choice(n, ImageInput.values(), i -> i.name().toLowerCase(Locale.ROOT))),
                read(f.get("remix"), YamlNode::bool),
                read(f.get("prompt_limit"), n -> n.wholeNumber(1, MAX_PROMPT_LIMIT)),
                read(f.get("usd_per_second"), CatalogReader::pricing),
                text(f.get("note")), wire(f.get("wire")));
    }

    private static ModelSpec spec(String provider, String id, ModelEntry m, WireEntry providerWire) {
        YamlNode at = m.origin();
        if (m.seconds() == null) {
            throw at.problem("seconds is missing: give the lengths the model makes, e.g. [4, 6, 8] or 2..10");
        }
        int defaultSeconds = m.defaultSeconds() != null ? m.defaultSeconds() : m.seconds().min();
        if (!m.seconds().allows(defaultSeconds)) {
            throw at.problem("default_seconds " + defaultSeconds + " is not among its seconds " + m.seconds());
        }
        List<Frame> frames = frames(m);
        WireEntry wire = m.wire().over(providerWire);
        if (wire.size() == null || wire.seconds() == null) {
            throw at.problem("wire is incomplete: give its size and seconds forms, for the model or its provider");
        }
        if (m.pricing() == null) {
            throw at.problem("usd_per_second is missing");
        }
        Audio audio = or(m.audio(), Audio.NONE);
        List<Boolean> sounds = switch (audio) {
            case NONE -> List.of(false);
            case ALWAYS -> List.of(true);
            case OPTIONAL -> List.of(true, false);
        };
        for (String resolution : frames.stream().map(Frame::resolution).distinct().toList()) {
            for (boolean sound : sounds) {
                if (m.pricing().usdPerSecond(resolution, sound).isEmpty()) {
                    throw at.problem("usd_per_second has no price for " + resolution + (sound ? " with" : " without") + " audio");
                }
            }
        }
        return new ModelSpec(provider, id, m.seconds(), defaultSeconds, frames, m.sizes() != null, audio,
                or(m.image(), ImageInput.NONE), or(m.remix(), false),
                m.promptLimit() == null ? OptionalInt.empty() : OptionalInt.of(m.promptLimit()), m.pricing(),
                new Wire(wire.size(), wire.seconds()), Optional.ofNullable(m.note()));
    }

    /** The sizes listed, or every aspect ratio at every resolution. */
    private static List<Frame> frames(ModelEntry m) {
        if (m.sizes() != null) {
            return m.sizes();
        }
        if (m.aspectRatios() == null || m.resolutions() == null) {
            throw m.origin().problem("give its frames: sizes, or aspect_ratios and resolutions together");
        }
        List<Frame> frames = new ArrayList<>();
        m.aspectRatios().forEach(aspect -> m.resolutions().forEach(res -> frames.add(Frame.of(aspect, res).orElseThrow())));
        return frames;
    }

    private static Durations durations(YamlNode node) {
        if (node.isList()) {
            return Durations.of(node.items().stream().map(n -> n.wholeNumber(1, MAX_SECONDS)).toList());
        }
        if (node.isNumber()) {
            return Durations.of(List.of(node.wholeNumber(1, MAX_SECONDS)));
        }
        Matcher range = RANGE.matcher(node.text());
        int min = range.matches() ? Integer.parseInt(range.group(1)) : 0;
        int max = range.matches() ? Integer.parseInt(range.group(2)) : 0;
        if (min < 1 || max <= min || max > MAX_SECONDS) {
            throw node.problem("must be a list of whole numbers such as [4, 6, 8] or a range such as 2..10 (from 1 to "
                    + MAX_SECONDS + ")");
        }
        return Durations.range(min, max);
    }

    private static Frame size(YamlNode node) {
        return Frame.ofSize(node.text()).orElseThrow(() -> node.problem("must be WIDTHxHEIGHT such as 1280x720"));
    }

    private static String aspectRatio(YamlNode node) {
        String text = node.text();
        if (!Frame.isAspectRatio(text)) {
            throw node.problem("must be an aspect ratio such as \"16:9\"");
        }
        return text;
    }

    private static String resolution(YamlNode node) {
        String text = node.text();
        if (!Frame.isResolution(text)) {
            throw node.problem("must be a resolution such as 720p or 4k");
        }
        return Frame.normal(text);
    }

    /** A price, or prices by resolution and/or {@code with_audio} / {@code without_audio}. */
    private static Pricing pricing(YamlNode node) {
        if (!node.isMapping()) {
            return new Pricing(List.of(new Pricing.Rate(null, null, node.usd())));
        }
        List<Pricing.Rate> rates = new ArrayList<>();
        node.named().forEach((key, value) -> {
            if (SOUND_FIELDS.contains(key)) {
                rates.add(new Pricing.Rate(null, key.equals("with_audio"), value.usd()));
            } else if (!Frame.isResolution(key)) {
                throw value.problem("is neither a resolution such as 720p nor with_audio or without_audio");
            } else if (value.isMapping()) {
                value.fields(SOUND_FIELDS).forEach((sound, price) ->
                        rates.add(new Pricing.Rate(Frame.normal(key), sound.equals("with_audio"), price.usd())));
            } else {
                rates.add(new Pricing.Rate(Frame.normal(key), null, value.usd()));
            }
        });
        return new Pricing(rates);
    }

    private static WireEntry wire(YamlNode node) {
        if (node == null) {
            return WireEntry.NONE;
        }
        Map<String, YamlNode> f = node.fields(WIRE_FIELDS);
        return new WireEntry(read(f.get("size"), n -> choice(n, Wire.SizeForm.values(), s -> s.label)),
                read(f.get("seconds"), n -> choice(n, Wire.SecondsForm.values(), s -> s.label)));
    }

    private static <E> E choice(YamlNode node, E[] values, Function<E, String> label) {
        String text = node.text();
        for (E value : values) {
            if (label.apply(value).equals(text)) {
                return value;
            }
        }
        throw node.problem("must be one of " + String.join(", ", Arrays.stream(values).map(label).toList()));
    }

    private static String text(YamlNode node) {
        return read(node, YamlNode::text);
    }

    private static <T> T read(YamlNode node, Function<YamlNode, T> reader) {
        return node == null ? null : reader.apply(node);
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }
}

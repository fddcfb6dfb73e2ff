package dev.sorabatch.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What each provider's models accept and cost: the built-in {@value #RESOURCE}, optionally overlaid by a user's file
 * in the same layout ({@code sora.catalog.file}) that adds models or replaces fields of existing ones, provider by
 * provider. Immutable.
 *
 * <p>{@link #check} is the row check: it fills in the defaults (the provider's default model, the model's default
 * length and frame, sound where the model makes it) and either returns the normalised request or names every
 * problem in the words of the row's fields: {@code model}, {@code seconds}, {@code size}, {@code aspect_ratio},
 * {@code resolution}, {@code generate_audio}, {@code input_reference}, {@code remix_of}, {@code prompt}.
 */
public final class ModelCatalog {

    public static final String RESOURCE = "catalog/models.yaml";
    private static final int SHOWN_LENGTH = 100;

    /** One provider's models, in catalogue order, and the model of rows that name none. */
    record Provider(String name, String defaultModel, Map<String, ModelSpec> models) {
        Provider {
            models = Collections.unmodifiableMap(new LinkedHashMap<>(models));
        }
    }

    private final Map<String, Provider> providers;

    private ModelCatalog(Map<String, Provider> providers) {
        this.providers = Collections.unmodifiableMap(new LinkedHashMap<>(providers));
    }

    /** The built-in catalogue (read from the class path at each call: keep the instance). */
    public static ModelCatalog builtIn() {
        return new ModelCatalog(CatalogReader.build(builtInEntries()));
    }

    /**
     * The built-in catalogue with a user's file laid over it (read at each call: keep the instance).
     *
     * @throws CatalogException when the file is not a usable catalogue (the message names file, line and field)
     */
    public static ModelCatalog load(Path userFile) {
        byte[] content;
        try {
            content = Files.readAllBytes(userFile);
        } catch (IOException e) {
            throw new CatalogException(userFile + ": cannot be read (" + e.getMessage() + ")", e);
        }
        return new ModelCatalog(CatalogReader.build(
                CatalogReader.merge(builtInEntries(), CatalogReader.read(userFile.toString(), content))));
    }

    /** Provider names in catalogue order. */
    public List<String> providers() {
        return List.copyOf(providers.keySet());
    }

    /** A provider's models in catalogue order; empty for an unknown provider. */
    public List<ModelSpec> models(String provider) {
        Provider p = providers.get(provider);
        return p == null ? List.of() : List.copyOf(p.models().values());
    }

    public Optional<ModelSpec> model(String provider, String model) {
        return Optional.ofNullable(providers.get(provider)).map(p -> p.models().get(model));
    }

    /** @throws IllegalArgumentException for an unknown provider */
    public ModelSpec defaultModel(String provider) {
        Provider p = providers.get(provider);
        if (p == null) {
            throw new IllegalArgumentException("no provider " + provider + " in the catalogue");
        }
        return p.models().get(p.defaultModel());
    }

    /** The normalised request, or every problem with it. */
    public CheckResult check(ModelRequest request) {
        Provider provider = providers.get(Objects.requireNonNull(request.provider(), "provider"));
        if (provider == null) {
            return CheckResult.rejected(List.of(mustBeOneOf("provider", providers.keySet(), request.provider())));
        }
        String id = request.model() != null ? request.model() : provider.defaultModel();
        ModelSpec model = provider.models().get(id);
        if (model == null) {
            return CheckResult.rejected(List.of(mustBeOneOf("model", provider.models().keySet(), id)));
        }
        List<String> problems = new ArrayList<>();
        int seconds = request.seconds() != null ? request.seconds() : model.defaultSeconds();
        if (!model.seconds().allows(seconds)) {
            problems.add("seconds must be " + model.seconds().rule() + " (got " + seconds + ")");
        }
        Frame frame = frame(request, model, problems);
        boolean audio = request.audio() != null ? request.audio() : model.audio().byDefault();
        if (audio && model.audio() == Audio.NONE) {
            problems.add(notAvailable("generate_audio", model, m -> m.audio() != Audio.NONE));
        }
        if (!audio && model.audio() == Audio.ALWAYS) {
            problems.add("generate_audio cannot be false for " + id + " (it always makes sound)");
        }
        if (request.image() && model.image() == ImageInput.NONE) {
            problems.add(notAvailable("input_reference", model, m -> m.image() != ImageInput.NONE));
        }
        if (!request.image() && model.image() == ImageInput.REQUIRED) {
            problems.add("input_reference is required for " + id + " (it makes video from an image)");
        }
        if (request.remix() && !model.remix()) {
            problems.add(notAvailable("remix_of", model, ModelSpec::remix));
        }
        model.promptLimit().ifPresent(limit -> {
            if (request.promptLength() > limit) {
                problems.add("prompt is " + request.promptLength() + " characters; the limit for " + id + " is " + limit);
            }
        });
        if (!problems.isEmpty()) {
            return CheckResult.rejected(problems);
        }
        return CheckResult.of(new NormalisedRequest(provider.name(), id, seconds, frame, audio,
                model.usdPerSecond(frame.resolution(), audio).orElseThrow()));
    }

    /**
     * The list price of one clip, unrounded (sum before rounding to cents); empty for a model, or a resolution
     * of it, the catalogue has no price for.
     */
    public Optional<BigDecimal> cost(String provider, String model, int seconds, String resolution, boolean audio) {
        return model(provider, model).flatMap(m -> m.usdPerSecond(Frame.normal(resolution), audio))
                .map(rate -> rate.multiply(BigDecimal.valueOf(seconds)));
    }

    /**
     * What the adapter sends for a normalised request: its size in the model's wire form and its length.
     *
     * @throws IllegalArgumentException when the request's model or size is not in this catalogue
     */
    public Wire.Values wire(NormalisedRequest request) {
        return model(request.provider(), request.model())
                .orElseThrow(() -> new IllegalArgumentException("no model " + request.model() + " of " + request.provider()))
                .wire(request.seconds(), request.frame().size());
    }

    /**
     * The frame asked for: by size, by aspect ratio and/or resolution (the first frame that matches what is given),
     * or the model's default.
     */
    private Frame frame(ModelRequest request, ModelSpec model, List<String> problems) {
        String size = request.size() == null ? null : Frame.normal(request.size());
        String aspect = request.aspectRatio() == null ? null : request.aspectRatio().strip();
        String resolution = request.resolution() == null ? null : Frame.normal(request.resolution());
        if (size != null && (aspect != null || resolution != null)) {
            problems.add("give either size or aspect_ratio and resolution, not both");
            return null;
        }
        if (size != null) {
            if (Frame.ofSize(size).isEmpty()) {
                problems.add("size must be WIDTHxHEIGHT such as " + model.defaultFrame().size() + " (got " + shown(size) + ")");
            } else if (!model.sizes().contains(size)) {
                problems.add(notOffered("size", size, model, ModelSpec::sizes));
            }
            return frameWhere(model, f -> f.size().equals(size));
        }
        boolean aspectOffered = aspect == null || model.aspectRatios().contains(aspect);
        boolean resolutionOffered = resolution == null || model.resolutions().contains(resolution);
        if (!aspectOffered) {
            problems.add(notOffered("aspect_ratio", aspect, model, ModelSpec::aspectRatios));
        }
        if (!resolutionOffered) {
            problems.add(notOffered("resolution", resolution, model, ModelSpec::resolutions));
        }
        Frame frame = frameWhere(model, f -> (aspect == null || f.aspectRatio().equals(aspect))
                && (resolution == null || f.resolution().equals(resolution)));
        if (frame == null && aspectOffered && resolutionOffered) {
            problems.add("aspect_ratio " + aspect + " is not available at " + resolution + " for " + model.id()
                    + " (its sizes are " + String.join(", ", model.sizes()) + ")");
        }
        return frame;
    }

    private static Frame frameWhere(ModelSpec model, Predicate<Frame> wanted) {
        return model.frames().stream().filter(wanted).findFirst().orElse(null);
    }

    /** A value the model does not take: which of the provider's models take it, or what this one takes. */
    private String notOffered(String field, String value, ModelSpec model, Function<ModelSpec, List<String>> offered) {
        List<String> others = idsWhere(model.provider(), m -> offered.apply(m).contains(value));
        return others.isEmpty() ? mustBeOneOf(field, offered.apply(model), value)
                : field + " " + value + " is only available for " + orList(others);
    }

    /** A feature the model lacks: which of the provider's models have it, if any. */
    private String notAvailable(String field, ModelSpec model, Predicate<ModelSpec> has) {
        List<String> others = idsWhere(model.provider(), has);
        return others.isEmpty() ? field + " is not available for " + model.id()
                : field + " is only available for " + orList(others);
    }

    private static String mustBeOneOf(String field, Collection<String> allowed, String got) {
        return field + " must be one of " + String.join(", ", allowed) + " (got " + shown(got) + ")";
    }

    private List<String> idsWhere(String provider, Predicate<ModelSpec> wanted) {
        return providers.get(provider).models().values().stream().filter(wanted).map(ModelSpec::id).toList();
    }

    /** {@code a}, {@code a or b}, {@code a, b or c}. */
    private static String orList(List<String> items) {
        return items.size() == 1 ? items.get(0)
                : String.join(", ", items.subList(0, items.size() - 1)) + " or " + items.get(items.size() - 1);
    }

    /** A value as quoted in a message: long ones cut, so a reason never carries a whole hostile cell. */
    private static String shown(String value) {
        return value.length() <= SHOWN_LENGTH ? value
                : value.substring(0, SHOWN_LENGTH) + "… (" + value.length() + " characters)";
    }

    private static Map<String, CatalogReader.ProviderEntry> builtInEntries() {
        try (InputStream in = ModelCatalog.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            return CatalogReader.read(RESOURCE, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

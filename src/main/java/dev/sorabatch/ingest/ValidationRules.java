package dev.sorabatch.ingest;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import dev.sorabatch.reference.ReferencePolicy;

/**
 * What {@link RequestValidator} accepts. Immutable: the sets are copied, {@code allowedSeconds} sorted,
 * the others in the order given (which is the order used in rejection messages).
 *
 * @param promptMaxLength limit on the composed prompt, in Unicode code points
 * @param allowedSeconds  clip lengths a request may ask for
 * @param maxTakes        most independent generations one request may ask for
 * @param defaultModel    model of requests that name none
 * @param defaultSeconds  clip length of requests that give none
 * @param defaultSize     size of requests that give none
 * @param standardSizes   sizes every model accepts
 * @param proSizes        sizes only the pro models accept
 * @param proModels       models that accept {@code proSizes}
 * @param extraModels     further accepted model names (e.g. provider deployments); standard unless also in
 *                        {@code proModels}
 * @param references      where {@code input_reference} may point, and the image size cap
 */
public record ValidationRules(int promptMaxLength, Set<Integer> allowedSeconds, int maxTakes,
                              String defaultModel, int defaultSeconds, String defaultSize,
                              Set<String> standardSizes, Set<String> proSizes,
                              Set<String> proModels, Set<String> extraModels, ReferencePolicy references) {

    /** OpenAI's standard model, always accepted. */
    public static final String STANDARD_MODEL = "sora-2";

    public ValidationRules {
        allowedSeconds = Collections.unmodifiableSet(new TreeSet<>(allowedSeconds));
        standardSizes = ordered(standardSizes);
        proSizes = ordered(proSizes);
        proModels = ordered(proModels);
        extraModels = ordered(extraModels);
        if (promptMaxLength < 1 || maxTakes < 1) {
            throw new IllegalArgumentException("promptMaxLength and maxTakes must be at least 1");
        }
        // a default that the rules themselves reject would reject every request that relies on it
        if (!allowedSeconds.contains(defaultSeconds)) {
            throw new IllegalArgumentException("default seconds " + defaultSeconds + " is not among " + allowedSeconds);
        }
        Set<String> models = models(proModels, extraModels);
        if (!models.contains(defaultModel)) {
            throw new IllegalArgumentException("default model " + defaultModel + " is not among " + models);
        }
        if (!sizesFor(defaultModel, standardSizes, proSizes, proModels).contains(defaultSize)) {
            throw new IllegalArgumentException("default size " + defaultSize + " is not available for " + defaultModel);
        }
    }

    /** Rules with the {@linkplain ReferencePolicy#DEFAULT default reference policy}. */
    public ValidationRules(int promptMaxLength, Set<Integer> allowedSeconds, int maxTakes, String defaultModel,
                           int defaultSeconds, String defaultSize, Set<String> standardSizes, Set<String> proSizes,
                           Set<String> proModels, Set<String> extraModels) {
        this(promptMaxLength, allowedSeconds, maxTakes, defaultModel, defaultSeconds, defaultSize, standardSizes,
                proSizes, proModels, extraModels, ReferencePolicy.DEFAULT);
    }

    /** OpenAI's Sora 2 limits: 4, 8 or 12 seconds, up to 1000 characters, four takes. */
    public static ValidationRules defaults() {
        return new ValidationRules(1000, Set.of(4, 8, 12), 4, STANDARD_MODEL, 4, "720x1280",
                parseList("720x1280,1280x720"), parseList("1024x1792,1792x1024"), Set.of("sora-2-pro"), Set.of());
    }

    /** All accepted model names: the standard model, then the pro models, then the extra ones. */
    public Set<String> models() {
        return models(proModels, extraModels);
    }

    /** Sizes the given model accepts. */
    public Set<String> sizesFor(String model) {
        return sizesFor(model, standardSizes, proSizes, proModels);
    }

    /** Splits a comma-separated setting such as {@code "sora-2-pro, my-deployment"} into its non-blank items, in order. */
    public static Set<String> parseList(String commaList) {
        if (commaList == null) {
            return Set.of();
        }
        return ordered(Arrays.stream(commaList.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList());
    }

    /** {@link #parseList} for numbers, e.g. {@code "4,8,12,16,20"}. */
    public static Set<Integer> parseNumbers(String commaList) {
        return parseList(commaList).stream().map(Integer::valueOf).collect(Collectors.toUnmodifiableSet());
    }

    private static Set<String> models(Set<String> proModels, Set<String> extraModels) {
        Set<String> models = new LinkedHashSet<>();
        models.add(STANDARD_MODEL);
        models.addAll(proModels);
        models.addAll(extraModels);
        return Collections.unmodifiableSet(models);
    }

    private static Set<String> sizesFor(String model, Set<String> standardSizes, Set<String> proSizes, Set<String> proModels) {
        if (!proModels.contains(model)) {
            return standardSizes;
        }
        Set<String> sizes = new LinkedHashSet<>(standardSizes);
        sizes.addAll(proSizes);
        return Collections.unmodifiableSet(sizes);
    }

    private static Set<String> ordered(Collection<String> items) {
        return Collections.unmodifiableSet(new LinkedHashSet<>(items));
    }
}

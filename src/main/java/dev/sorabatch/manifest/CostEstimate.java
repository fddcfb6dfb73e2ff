package dev.sorabatch.manifest;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.sorabatch.catalog.Frame;
import dev.sorabatch.catalog.ModelCatalog;
import dev.sorabatch.store.StoredClips;

/**
 * Estimated spend of stored clips: a configured price per second ({@code sora.cost.usd-per-second}, a
 * {@code model@size} entry before a {@code model} entry) wins, else the catalogue's list price of the clip's
 * provider, model, resolution and sound; a clip with neither counts as 0 (the manifest then under-reports, it never
 * invents a price).
 */
public final class CostEstimate {

    private final Map<String, BigDecimal> usdPerSecond;
    private final ModelCatalog catalog;

    public CostEstimate(Map<String, String> usdPerSecond, ModelCatalog catalog) {
        this.usdPerSecond = usdPerSecond.entrySet().stream()
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> new BigDecimal(e.getValue())));
        this.catalog = catalog;
    }

    public BigDecimal usd(List<StoredClips> clips) {
        BigDecimal total = BigDecimal.ZERO;
        for (StoredClips clip : clips) {
            BigDecimal seconds = BigDecimal.valueOf(clip.seconds());
            BigDecimal configured = usdPerSecond.getOrDefault(clip.model() + "@" + clip.size(),
                    usdPerSecond.get(clip.model()));
            total = total.add(configured != null ? configured.multiply(seconds) : listPrice(clip));
        }
        return total.setScale(2, RoundingMode.HALF_UP);
    }

    private BigDecimal listPrice(StoredClips clip) {
        String resolution = clip.resolution() != null ? clip.resolution()
                : clip.size() == null ? null : Frame.ofSize(clip.size()).map(Frame::resolution).orElse(null);
        if (clip.provider() == null || clip.model() == null || resolution == null || clip.seconds() > Integer.MAX_VALUE) {
            return BigDecimal.ZERO;
        }
        return catalog.cost(clip.provider(), clip.model(), (int) clip.seconds(), resolution,
                clip.audio() == null || clip.audio()).orElse(BigDecimal.ZERO);
    }
}

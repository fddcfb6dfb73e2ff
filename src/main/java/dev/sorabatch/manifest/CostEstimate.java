package dev.sorabatch.manifest;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;

/**
 * Estimated spend from the configured price per second of video: a {@code model@size} entry wins over a
 * {@code model} entry; unknown models count as 0 (the manifest then under-reports, it never invents a price).
 */
public final class CostEstimate {

    private final Map<String, BigDecimal> usdPerSecond;

    public CostEstimate(Map<String, String> usdPerSecond) {
        this.usdPerSecond = usdPerSecond.entrySet().stream()
                .collect(java.util.stream.Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> new BigDecimal(e.getValue())));
    }

    /** @param secondsByModelSize seconds per {@code model@size} */
    public BigDecimal usd(Map<String, Long> secondsByModelSize) {
        BigDecimal total = BigDecimal.ZERO;
        for (Map.Entry<String, Long> e : secondsByModelSize.entrySet()) {
            String modelAndSize = e.getKey();
            String model = modelAndSize.substring(0, modelAndSize.lastIndexOf('@'));
            BigDecimal price = usdPerSecond.getOrDefault(modelAndSize, usdPerSecond.getOrDefault(model, BigDecimal.ZERO));
            total = total.add(price.multiply(BigDecimal.valueOf(e.getValue())));
        }
        return total.setScale(2, RoundingMode.HALF_UP);
    }
}

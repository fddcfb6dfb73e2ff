package dev.sorabatch.catalog;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A model's price per second of video in USD: one rate, or rates by resolution and/or by whether sound is made.
 * The most specific rate that matches applies (resolution and sound, then resolution, then sound, then neither).
 */
public record Pricing(List<Rate> rates) {

    /**
     * @param resolution the resolution it is for, null for any
     * @param audio      whether it is for video with sound (true) or without (false), null for either
     */
    public record Rate(String resolution, Boolean audio, BigDecimal usdPerSecond) {
        public Rate {
            Objects.requireNonNull(usdPerSecond);
        }

        boolean matches(String resolution, boolean audio) {
            return (this.resolution == null || this.resolution.equals(resolution))
                    && (this.audio == null || this.audio == audio);
        }

        int specificity() {
            return (resolution == null ? 0 : 2) + (audio == null ? 0 : 1);
        }
    }

    public Pricing {
        rates = List.copyOf(rates);
    }

    public Optional<BigDecimal> usdPerSecond(String resolution, boolean audio) {
        return rates.stream().filter(r -> r.matches(resolution, audio)).max(Comparator.comparingInt(Rate::specificity))
                .map(Rate::usdPerSecond);
    }

    /** For the README: {@code 0.12}, {@code 0.40 (silent 0.20)}, {@code 540p 0.75, 720p 1.50}, or both combined. */
    @Override
    public String toString() {
        Map<String, List<Rate>> byResolution = new LinkedHashMap<>();
        rates.forEach(r -> byResolution.computeIfAbsent(Objects.toString(r.resolution(), ""), k -> new ArrayList<>()).add(r));
        List<String> parts = new ArrayList<>();
        byResolution.forEach((resolution, group) -> {
            String price = group.stream().filter(r -> !Boolean.FALSE.equals(r.audio())).findFirst()
                    .map(r -> usd(r.usdPerSecond())).orElse("");
            Optional<Rate> silent = group.stream().filter(r -> Boolean.FALSE.equals(r.audio())).findFirst();
            if (silent.isPresent()) {
                String silentPrice = usd(silent.get().usdPerSecond());
                price += price.isEmpty() ? "silent " + silentPrice : " (silent " + silentPrice + ")";
            }
            parts.add(resolution.isEmpty() ? price : resolution + " " + price);
        });
        return String.join(", ", parts);
    }

    /** At least cents, more digits where the price has them: 0.40, 1.50, 0.056. */
    private static String usd(BigDecimal value) {
        return value.scale() < 2 ? value.setScale(2).toPlainString() : value.toPlainString();
    }
}

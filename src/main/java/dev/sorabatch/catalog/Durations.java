package dev.sorabatch.catalog;

import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The clip lengths a model allows, in seconds: the values listed, or (with {@code listed} empty) every whole number
 * from {@code min} to {@code max}.
 */
public record Durations(int min, int max, List<Integer> listed) {

    public Durations {
        listed = List.copyOf(listed);
    }

    /** The values given, sorted, each once. */
    public static Durations of(List<Integer> values) {
        List<Integer> sorted = List.copyOf(new TreeSet<>(values));
        return new Durations(sorted.get(0), sorted.get(sorted.size() - 1), sorted);
    }

    /** Every whole number from min to max. */
    public static Durations range(int min, int max) {
        return new Durations(min, max, List.of());
    }

    public boolean allows(int seconds) {
        return listed.isEmpty() ? seconds >= min && seconds <= max : listed.contains(seconds);
    }

    /** What a row may give, for messages: {@code one of 4, 6, 8} or {@code a whole number from 2 to 10}. */
    public String rule() {
        return listed.isEmpty() ? "a whole number from " + min + " to " + max : "one of " + this;
    }

    /** {@code 4, 6, 8} or {@code 2–10}. */
    @Override
    public String toString() {
        return listed.isEmpty() ? min + "–" + max : listed.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }
}

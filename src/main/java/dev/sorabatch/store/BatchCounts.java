package dev.sorabatch.store;

import java.util.EnumMap;
import java.util.Map;

/** Items of one batch per state. */
public record BatchCounts(Map<ItemState, Integer> byState) {

    public BatchCounts {
        byState = byState.isEmpty() ? new EnumMap<>(ItemState.class) : new EnumMap<>(byState);
    }

    public int get(ItemState state) {
        return byState.getOrDefault(state, 0);
    }

    public int total() {
        return byState.values().stream().mapToInt(Integer::intValue).sum();
    }

    public int terminal() {
        return ItemState.TERMINAL.stream().mapToInt(this::get).sum();
    }

    public int inFlight() {
        return get(ItemState.SUBMITTING) + get(ItemState.SUBMITTED) + get(ItemState.COMPLETED);
    }
}

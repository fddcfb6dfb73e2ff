package dev.sorabatch.store;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The item state machine of the design: every row is in exactly one of these, and {@link #NEXT} is the only
 * definition of the moves between them. Every transition the store makes is checked against it ({@link #check}).
 */
public enum ItemState {
    /** Failed validation; never sent. */
    REJECTED,
    /** Waiting for a create slot. */
    PENDING,
    /** Committed before the create call: a crash here means the outcome is unknown. */
    SUBMITTING,
    /** The provider accepted the job; its id is on the row. */
    SUBMITTED,
    /** The provider finished the job; content waits to be fetched. */
    COMPLETED,
    STORED,
    FAILED,
    /** The content was gone before it could be fetched. */
    EXPIRED,
    /** A create may have happened and could not be reconciled: needs a human. */
    UNCERTAIN,
    /** Taken back by the operator before it was sent; never sent. */
    CANCELLED,
    /** Dry run: validated and priced, never sent. */
    PLANNED,
    /** Its create would have passed a budget ({@code sora.budget.*}); never sent. */
    SKIPPED_BUDGET;

    /** The allowed moves; a state without any but {@link #BY_OPERATOR} moves is terminal. */
    public static final Map<ItemState, Set<ItemState>> NEXT;

    /**
     * The moves only an operator makes (the batch API and command line: cancel, retry), never a worker; a state
     * that has only these has ended as far as the pipeline is concerned.
     */
    public static final Map<ItemState, Set<ItemState>> BY_OPERATOR;

    static {
        Map<ItemState, Set<ItemState>> next = new EnumMap<>(ItemState.class);
        for (ItemState state : values()) {
            next.put(state, Collections.unmodifiableSet(EnumSet.noneOf(ItemState.class)));
        }
        next.put(PENDING, Collections.unmodifiableSet(EnumSet.of(SUBMITTING, PLANNED)));
        next.put(SUBMITTING, Collections.unmodifiableSet(EnumSet.of(SUBMITTED, PENDING, FAILED, UNCERTAIN,
                SKIPPED_BUDGET)));
        next.put(SUBMITTED, Collections.unmodifiableSet(EnumSet.of(COMPLETED, FAILED)));
        next.put(COMPLETED, Collections.unmodifiableSet(EnumSet.of(STORED, EXPIRED, FAILED)));
        Map<ItemState, Set<ItemState>> operator = new EnumMap<>(ItemState.class);
        operator.put(PENDING, Collections.unmodifiableSet(EnumSet.of(CANCELLED)));
        for (ItemState retried : EnumSet.of(FAILED, EXPIRED, UNCERTAIN)) {
            operator.put(retried, Collections.unmodifiableSet(EnumSet.of(PENDING)));
        }
        operator.forEach((from, to) -> {
            EnumSet<ItemState> all = EnumSet.copyOf(to);
            all.addAll(next.get(from));
            next.put(from, Collections.unmodifiableSet(all));
        });
        NEXT = Collections.unmodifiableMap(next);
        BY_OPERATOR = Collections.unmodifiableMap(operator);
    }

    public static final Set<ItemState> TERMINAL = Collections.unmodifiableSet(EnumSet.copyOf(
            NEXT.entrySet().stream().filter(e -> BY_OPERATOR.getOrDefault(e.getKey(), Set.of())
                    .containsAll(e.getValue())).map(Map.Entry::getKey).toList()));

    /** What {@code retry} may queue again. */
    public static final Set<ItemState> RETRYABLE = Collections.unmodifiableSet(EnumSet.copyOf(
            BY_OPERATOR.entrySet().stream().filter(e -> e.getValue().contains(PENDING)).map(Map.Entry::getKey)
                    .toList()));

    public static final Set<ItemState> NOT_TERMINAL = Collections.unmodifiableSet(EnumSet.complementOf(
            EnumSet.copyOf(TERMINAL)));

    public boolean terminal() {
        return TERMINAL.contains(this);
    }

    /** @throws IllegalStateException unless the table allows {@code from → to}: a forbidden move is a bug */
    public static void check(ItemState from, ItemState to) {
        if (!NEXT.get(from).contains(to)) {
            throw new IllegalStateException("forbidden item transition " + from + " -> " + to + " (allowed from "
                    + from + ": " + NEXT.get(from) + ")");
        }
    }

    /** @throws IllegalStateException for a terminal state: an ended item is never rescheduled */
    public static void checkStay(ItemState state) {
        if (state.terminal()) {
            throw new IllegalStateException("an item in terminal state " + state + " cannot be rescheduled");
        }
    }

    /** The states as an SQL list, {@code ('A','B')}, for queries; never written by hand. */
    public static String sqlList(Set<ItemState> states) {
        return states.stream().map(s -> "'" + s.name() + "'").collect(Collectors.joining(",", "(", ")"));
    }
}

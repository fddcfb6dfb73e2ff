package dev.sorabatch.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Claims of due rows for the workers. A claim moves each row's {@code next_attempt_at} forward with a
 * compare-and-set, so two workers (threads or instances) never take the same row, and the claim is a lease that
 * expires on its own when its holder dies. Claims of pending items are fair between batches and read only the rows
 * they take.
 * <p>
 * On PostgreSQL the due rows are selected {@code FOR UPDATE SKIP LOCKED} in the claim's own transaction: instances
 * sharing a store neither wait for the rows another is claiming nor select them only to lose the compare-and-set,
 * which stays as the guard (a row whose lease a finished claim moved meanwhile is no longer due). H2 2.3 accepts the
 * clause but then reads the whole index range instead of stopping at the limit, and returns nothing when the rows it
 * would take first are locked; an H2 file has one process, whose claims the compare-and-set alone keeps apart.
 */
public final class Claims {

    /*
     * The claim queries. Each repeats its equality columns in the ORDER BY, so H2 walks the matching index in order
     * and reads only the rows it returns (V3 migration); PostgreSQL needs no such help but takes it.
     */
    /** Appended to the claim queries on PostgreSQL. */
    static final String SKIP_LOCKED = " for update skip locked";
    /** The due PENDING items of one batch, oldest due first. */
    static final String DUE_PENDING_OF_BATCH = "select " + Jdbc.ITEM_COLUMNS + " from item where batch_id = ? "
            + "and state = '" + ItemState.PENDING + "' and next_attempt_at <= ? order by batch_id, state, next_attempt_at, id "
            + "fetch first ? rows only";
    /** The due PENDING items of one batch for one provider, oldest due first (V5's index). */
    static final String DUE_PENDING_OF_BATCH_FOR = "select " + Jdbc.ITEM_COLUMNS + " from item where batch_id = ? "
            + "and provider = ? and state = '" + ItemState.PENDING + "' and next_attempt_at <= ? "
            + "order by batch_id, provider, state, next_attempt_at, id fetch first ? rows only";
    /** The due items in one state, oldest due first. */
    static final String DUE_IN_STATE = "select " + Jdbc.ITEM_COLUMNS + " from item where state = ? and next_attempt_at <= ? "
            + "order by state, next_attempt_at, id fetch first ? rows only";
    /**
     * The due COMPLETED items, those whose content expires soonest first. Only due rows are read (the index range
     * on state and next_attempt_at), and there are few: a completed job is fetched at once.
     */
    static final String DUE_FOR_FETCH = "select " + Jdbc.ITEM_COLUMNS + " from item where state = '"
            + ItemState.COMPLETED + "' and next_attempt_at <= ? order by case when expires_at is null then 1 else 0 end, "
            + "expires_at, next_attempt_at, id fetch first ? rows only";
    private static final String IN_FLIGHT = "select count(*) from item where state in "
            + ItemState.sqlList(EnumSet.of(ItemState.SUBMITTING, ItemState.SUBMITTED));
    private static final String IN_FLIGHT_AT = IN_FLIGHT + " and provider = ?";

    private final Jdbc jdbc;
    /** The batch a create was last claimed for: the next claim starts with the open batch after it. */
    private final Map<String, AtomicLong> submitCursors = new ConcurrentHashMap<>();

    Claims(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Items in flight at the provider (a create may be under way or a job is generating), for max-in-flight. */
    public int countInFlight() throws SQLException {
        return jdbc.queryInt(IN_FLIGHT);
    }

    /** Items in flight at one provider, for that provider's max-in-flight. */
    public int countInFlight(String provider) throws SQLException {
        return jdbc.queryInt(IN_FLIGHT_AT, provider);
    }

    /** As {@link #countInFlight(String)}, inside the caller's transaction on {@code c}. */
    int countInFlight(Connection c, String provider) throws SQLException {
        return Jdbc.queryInt(c, IN_FLIGHT_AT, provider);
    }

    /**
     * Claims due PENDING items for a create: each moves to SUBMITTING with one more attempt counted and a lease
     * that, once expired, hands the item to reconciliation. The claim is committed before this returns, so before
     * any create is sent.
     * <p>
     * Batches share the creates round-robin: only OPEN batches are served (never one still being written), the
     * claim is split evenly over those with due items, and each claim starts with the batch after the one served
     * last. A small batch dropped behind a huge one gets its creates at once, and its cost is one index probe per
     * open batch, whatever the number of rows waiting.
     */
    public List<Item> forCreate(int limit, long leaseMillis, String owner) throws SQLException {
        return forCreate(null, limit, leaseMillis, owner);
    }

    /** As {@link #forCreate(int, long, String)}, only items for {@code provider} (any provider when null). */
    public List<Item> forCreate(String provider, int limit, long leaseMillis, String owner) throws SQLException {
        try (Connection c = jdbc.connection()) {
            return Jdbc.inTransaction(c, () -> forCreate(c, provider, limit, leaseMillis, owner));
        }
    }

    /**
     * As {@link #forCreate(String, int, long, String)}, inside the caller's transaction on {@code c} (nothing is
     * committed here), so that the claim commits together with what the caller decided it on ({@link ProviderAccounts}).
     */
    List<Item> forCreate(Connection c, String provider, int limit, long leaseMillis, String owner) throws SQLException {
        long now = jdbc.now();
        Move move = Move.CLAIM_FOR_CREATE;
        ItemState.check(move.from(), move.to());
        cancelWaitingOfCancelledBatches();
        return claim(c, tx -> duePendingRoundRobin(tx, provider, now, limit), "update item set state = '" + move.to()
                + "', lease_owner = ?, submitting_at = ?, attempts = attempts + 1, next_attempt_at = ? "
                + "where id = ? and state = '" + move.from() + "' and next_attempt_at + 0 = ?",
                item -> new Object[] {owner, now, now + leaseMillis, item.id(), item.nextAttemptAt()});
    }

    /**
     * Claims due items in {@code state} by pushing their next attempt out by the lease; COMPLETED items (content to
     * fetch) come soonest expiry first, so a job whose content link is about to expire is not left behind others.
     */
    public List<Item> due(ItemState state, int limit, long leaseMillis, String owner) throws SQLException {
        ItemState.checkStay(state);
        long now = jdbc.now();
        String lock = lock();
        Selector due = state == ItemState.COMPLETED ? c -> Jdbc.selectItems(c, DUE_FOR_FETCH + lock, now, limit)
                : c -> Jdbc.selectItems(c, DUE_IN_STATE + lock, state.name(), now, limit);
        try (Connection c = jdbc.connection()) {
            return Jdbc.inTransaction(c, () -> claim(c, due, "update item set next_attempt_at = ?, lease_owner = ? "
                    + "where id = ? and state = ? and next_attempt_at + 0 = ?",
                    item -> new Object[] {now + leaseMillis, owner, item.id(), state.name(), item.nextAttemptAt()}));
        }
    }

    private String lock() throws SQLException {
        return jdbc.postgres() ? SKIP_LOCKED : "";
    }

    private interface Selector {
        List<Item> due(Connection c) throws SQLException;
    }

    private interface Binder {
        Object[] args(Item item);
    }

    /**
     * Selects due rows (locking them on PostgreSQL) and moves each with a compare-and-set, in the caller's
     * transaction on {@code c} (one commit however many rows); a row another worker moved first is skipped. The
     * compare-and-set writes {@code next_attempt_at + 0} so that H2 finds the row by its primary key: on the plain
     * column it picks the (state, next_attempt_at) index and scans every row due at that instant, e.g. a whole freshly
     * ingested batch, for each claim. The rows taken are read again, in one query, as the claim left them.
     */
    private List<Item> claim(Connection c, Selector selector, String update, Binder binder) throws SQLException {
        List<Item> due = selector.due(c);
        if (due.isEmpty()) {
            return due;
        }
        List<Long> taken = new ArrayList<>(due.size());
        try (PreparedStatement ps = c.prepareStatement(update)) {
            for (Item item : due) {
                Jdbc.bind(ps, binder.args(item));
                ps.addBatch();
            }
            int[] counts = ps.executeBatch();
            for (int i = 0; i < due.size(); i++) {
                if (counts[i] == 1) {
                    taken.add(due.get(i).id());
                }
            }
        }
        return reread(c, taken);
    }

    /** The rows as they are now, in the order given. */
    private static List<Item> reread(Connection c, List<Long> ids) throws SQLException {
        if (ids.isEmpty()) {
            return List.of();
        }
        Map<Long, Item> byId = new HashMap<>();
        for (Item item : Jdbc.selectItems(c, "select " + Jdbc.ITEM_COLUMNS + " from item where id in ("
                + ids.stream().map(id -> "?").collect(Collectors.joining(",")) + ")", ids.toArray())) {
            byId.put(item.id(), item);
        }
        return ids.stream().map(byId::get).toList();
    }

    /**
     * An item of a cancelled batch back in PENDING (its create was under way at the cancel and did not happen) is
     * cancelled too, never sent. Each batch in its own short transaction, outside the claim's, so that the claim holds
     * no lock but on the rows it takes.
     */
    private void cancelWaitingOfCancelledBatches() throws SQLException {
        ItemState.check(Move.CANCEL.from(), Move.CANCEL.to());
        try (Connection c = jdbc.connection(); PreparedStatement ps = c.prepareStatement(BatchActions.CANCEL_WAITING)) {
            for (long batch : batchIds(c, "cancelled_at is not null")) {
                ps.setLong(1, batch);
                ps.executeUpdate();
            }
        }
    }

    /** The OPEN batches that match {@code condition}, oldest first. */
    private static List<Long> batchIds(Connection c, String condition) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select id from batch where state = '" + BatchState.OPEN
                + "' and " + condition + " order by id"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }

    /**
     * Up to {@code limit} due PENDING items of OPEN batches not cancelled, shared evenly: each batch with due items gets a share
     * in turn, starting after the batch served last; what a batch cannot use goes to those that have more.
     */
    private List<Item> duePendingRoundRobin(Connection c, String provider, long now, int limit) throws SQLException {
        String lock = lock();
        AtomicLong submitCursor = submitCursors.computeIfAbsent(provider == null ? "" : provider, p -> new AtomicLong());
        List<Long> open = batchIds(c, "cancelled_at is null");
        long cursor = submitCursor.get();
        int split = 0;
        while (split < open.size() && open.get(split) <= cursor) {
            split++;
        }
        List<Long> turn = new ArrayList<>(open.subList(split, open.size()));
        turn.addAll(open.subList(0, split));
        List<Item> due = new ArrayList<>();
        long lastServed = cursor;
        boolean firstRound = true;
        Map<Long, Integer> pickedOf = new HashMap<>();
        Set<Long> pickedIds = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement((provider == null ? DUE_PENDING_OF_BATCH : DUE_PENDING_OF_BATCH_FOR) + lock)) {
            while (due.size() < limit && !turn.isEmpty()) {
                int share = Math.max(1, (limit - due.size() + turn.size() - 1) / turn.size());
                List<Long> haveMore = new ArrayList<>();
                for (long batch : turn) {
                    int wanted = Math.min(share, limit - due.size());
                    if (wanted == 0) {
                        break;
                    }
                    // rows picked in an earlier round are still PENDING until the update (and locked by this
                    // transaction, which SKIP LOCKED does not skip): read past them
                    int picked = pickedOf.getOrDefault(batch, 0);
                    if (provider == null) {
                        Jdbc.bind(ps, batch, now, picked + wanted);
                    } else {
                        Jdbc.bind(ps, batch, provider, now, picked + wanted);
                    }
                    List<Item> items = Jdbc.readItems(ps).stream().filter(item -> pickedIds.add(item.id()))
                            .limit(wanted).toList();
                    pickedOf.put(batch, picked + items.size());
                    due.addAll(items);
                    if (!items.isEmpty() && firstRound) {
                        lastServed = batch;
                    }
                    if (items.size() == wanted) {
                        haveMore.add(batch);
                    }
                }
                turn = haveMore;
                firstRound = false;
            }
        }
        submitCursor.set(lastServed);
        return due;
    }
}

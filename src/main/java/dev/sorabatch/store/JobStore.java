package dev.sorabatch.store;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;

/**
 * The single source of truth: batches and items on JDBC (H2 file by default, PostgreSQL for scale-out).
 * <p>
 * Every transition is a compare-and-set on the expected state, so two workers (threads or instances) can never
 * move the same item twice. Rows are claimed by moving their {@code next_attempt_at} forward with a compare-and-set:
 * the claim is a lease that expires on its own when its holder dies.
 */
public class JobStore {

    static final String ITEM_COLUMNS = "id, batch_id, item_key, request_id, row_no, take, state, prompt, model, seconds, "
            + "size, remix_of, input_reference, metadata, provider_job_id, progress, attempts, status_checks, failures, "
            + "reconcile_tries, next_attempt_at, error_code, error_message, created_at, submitting_at, submitted_at, completed_at, "
            + "expires_at, stored_at, video_path, thumbnail_path, bytes, sha256";

    private static final String NON_TERMINAL = "('PENDING','SUBMITTING','SUBMITTED','COMPLETED')";
    private static final int DELETE_CHUNK = 5000;

    /** Versions of the migrations in {@code db/migration}: when the store has exactly these, Flyway is not run. */
    static final List<String> SCHEMA_VERSIONS = List.of("1", "2", "3", "4");

    /*
     * The claim queries. Each repeats its equality columns in the ORDER BY, so H2 walks the matching index in order
     * and reads only the rows it returns (V3 migration); PostgreSQL needs no such help but takes it.
     */
    /** The due PENDING items of one batch, oldest due first. */
    static final String DUE_PENDING_OF_BATCH = "select " + ITEM_COLUMNS + " from item where batch_id = ? "
            + "and state = 'PENDING' and next_attempt_at <= ? order by batch_id, state, next_attempt_at, id "
            + "fetch first ? rows only";
    /** The due items in one state, oldest due first. */
    static final String DUE_IN_STATE = "select " + ITEM_COLUMNS + " from item where state = ? and next_attempt_at <= ? "
            + "order by state, next_attempt_at, id fetch first ? rows only";
    /**
     * The due COMPLETED items, those whose content expires soonest first. Only due rows are read (the index range
     * on state and next_attempt_at), and there are few: a completed job is fetched at once.
     */
    static final String DUE_FOR_FETCH = "select " + ITEM_COLUMNS + " from item where state = 'COMPLETED' "
            + "and next_attempt_at <= ? order by case when expires_at is null then 1 else 0 end, expires_at, "
            + "next_attempt_at, id fetch first ? rows only";

    private final DataSource dataSource;
    private final Clock clock;
    private final GroupCommit writes;
    /** The batch a create was last claimed for: the next claim starts with the open batch after it. */
    private final AtomicLong submitCursor = new AtomicLong();

    public JobStore(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.writes = new GroupCommit(dataSource);
    }

    /**
     * Brings the schema up to date. A store that already has every migration is left alone without starting
     * Flyway, whose class loading and scan of the jar cost about half a second of every start.
     */
    public void migrate() {
        if (!schemaCurrent()) {
            Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        }
    }

    /** Whether Flyway's history records exactly the migrations this build has, all successful. */
    boolean schemaCurrent() {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select \"version\", \"success\" from \"flyway_schema_history\" "
                     + "where \"version\" is not null")) { // Flyway quotes its lower-case names
            Set<String> applied = new HashSet<>();
            while (rs.next()) {
                if (!rs.getBoolean(2)) {
                    return false; // a failed migration: Flyway reports it
                }
                applied.add(rs.getString(1));
            }
            return applied.equals(Set.copyOf(SCHEMA_VERSIONS));
        } catch (SQLException e) {
            return false; // no history yet
        }
    }

    public long now() {
        return clock.millis();
    }

    DataSource dataSource() {
        return dataSource;
    }

    // ---------------------------------------------------------------- ingest

    /**
     * Starts writing one file's rows into a new batch in state INGESTING, whose items no worker takes before
     * {@link IngestTransaction#open}.
     *
     * @param leaseMillis how long the batch counts as being ingested without a chunk committed; after that it is
     *                    taken for abandoned by a dead process and {@link #discardAbandonedIngests discarded}
     */
    public IngestTransaction beginIngest(String source, String provider, long leaseMillis) throws SQLException {
        return new IngestTransaction(this, source, provider, leaseMillis);
    }

    /** Deletes the batches a dead process left INGESTING (lease run out), with their rows; returns how many. */
    public int discardAbandonedIngests() throws SQLException {
        List<Batch> abandoned = queryBatches("select * from batch where state = 'INGESTING' and lease_until < ?", now());
        for (Batch b : abandoned) {
            try (Connection c = dataSource.getConnection()) {
                deleteIngest(c, b.id());
            }
        }
        return abandoned.size();
    }

    /** Deletes an INGESTING batch and its items, a committed chunk at a time so memory stays flat (autocommit). */
    void deleteIngest(Connection c, long batchId) throws SQLException {
        try (PreparedStatement items = c.prepareStatement("delete from item where id in (select id from item "
                + "where batch_id = ? fetch first " + DELETE_CHUNK + " rows only)");
             PreparedStatement batch = c.prepareStatement("delete from batch where id = ? and state = 'INGESTING'")) {
            items.setLong(1, batchId);
            while (items.executeUpdate() > 0) {
                // next chunk
            }
            batch.setLong(1, batchId);
            batch.executeUpdate();
        }
    }

    /**
     * The most characters each text column of the item table holds, from the schema's own declaration, so that
     * validation and the store never disagree.
     */
    public ColumnSizes itemColumns() throws SQLException {
        Map<String, Integer> sizes = new java.util.HashMap<>();
        try (Connection c = dataSource.getConnection()) {
            DatabaseMetaData meta = c.getMetaData();
            String table = meta.storesUpperCaseIdentifiers() ? "ITEM" : "item";
            try (ResultSet rs = meta.getColumns(c.getCatalog(), c.getSchema(), table, null)) {
                while (rs.next()) {
                    int type = rs.getInt("DATA_TYPE");
                    if (type == Types.VARCHAR || type == Types.NVARCHAR || type == Types.CHAR || type == Types.CLOB
                            || type == Types.LONGVARCHAR) {
                        sizes.put(rs.getString("COLUMN_NAME"), (int) Math.min(Integer.MAX_VALUE, rs.getLong("COLUMN_SIZE")));
                    }
                }
            }
        }
        if (sizes.isEmpty()) {
            throw new SQLException("the item table's columns cannot be read from the schema");
        }
        return new ColumnSizes(sizes);
    }

    public Optional<Batch> findBatchBySourceRef(String sourceRef) throws SQLException {
        return queryBatches("select * from batch where source_ref = ?", sourceRef).stream().findFirst();
    }

    public Optional<Batch> findBatchBySha(String sha256) throws SQLException {
        return queryBatches("select * from batch where source_sha256 = ? order by id", sha256).stream().findFirst();
    }

    public Optional<Batch> findBatch(String name) throws SQLException {
        return queryBatches("select * from batch where name = ?", name).stream().findFirst();
    }

    // ---------------------------------------------------------------- claims

    /** Items in flight at the provider (a create may be under way or a job is generating), for max-in-flight. */
    public int countInFlight() throws SQLException {
        return queryInt("select count(*) from item where state in ('SUBMITTING','SUBMITTED')");
    }

    /**
     * Claims due PENDING items for a create: each moves to SUBMITTING with one more attempt counted and a lease
     * that, once expired, hands the item to reconciliation. The claim is committed before this returns, so before
     * any create is sent. The claimed items are returned as they now are in the store, without reading them again.
     * <p>
     * Batches share the creates round-robin: only OPEN batches are served (never one still being written), the
     * claim is split evenly over those with due items, and each claim starts with the batch after the one served
     * last. A small batch dropped behind a huge one gets its creates at once, and its cost is one index probe per
     * open batch, whatever the number of rows waiting.
     */
    public List<Item> claimForSubmit(int limit, long leaseMillis, String owner) throws SQLException {
        long now = now();
        return claim(c -> duePendingRoundRobin(c, now, limit), owner, "update item set state = 'SUBMITTING', lease_owner = ?, "
                + "submitting_at = ?, attempts = attempts + 1, next_attempt_at = ? "
                + "where id = ? and state = 'PENDING' and next_attempt_at + 0 = ?", (ps, item) -> {
                    ps.setString(1, owner);
                    ps.setLong(2, now);
                    ps.setLong(3, now + leaseMillis);
                    ps.setLong(4, item.id());
                    ps.setLong(5, item.nextAttemptAt());
                }, item -> submitting(item, now, now + leaseMillis));
    }

    /**
     * Claims due items in {@code state} by pushing their next attempt out by the lease; COMPLETED items (content to
     * fetch) come soonest expiry first, so a job whose content link is about to expire is not left behind others.
     */
    public List<Item> claimDue(ItemState state, int limit, long leaseMillis, String owner) throws SQLException {
        long now = now();
        Selector due = state == ItemState.COMPLETED ? c -> select(c, DUE_FOR_FETCH, now, limit)
                : c -> select(c, DUE_IN_STATE, state.name(), now, limit);
        return claim(due, owner, "update item set next_attempt_at = ?, lease_owner = ? "
                + "where id = ? and state = ? and next_attempt_at + 0 = ?", (ps, item) -> {
                    ps.setLong(1, now + leaseMillis);
                    ps.setString(2, owner);
                    ps.setLong(3, item.id());
                    ps.setString(4, state.name());
                    ps.setLong(5, item.nextAttemptAt());
                }, item -> item);
    }

    private interface Binder {
        void bind(PreparedStatement ps, Item item) throws SQLException;
    }

    private interface Selector {
        List<Item> due(Connection c) throws SQLException;
    }

    /**
     * Selects due rows and moves each with a compare-and-set, all in one transaction (one commit however many
     * rows); a row another worker moved first is skipped. The compare-and-set writes {@code next_attempt_at + 0}
     * so that H2 finds the row by its primary key: on the plain column it picks the (state, next_attempt_at)
     * index and scans every row due at that instant, e.g. a whole freshly ingested batch, for each claim.
     */
    private List<Item> claim(Selector selector, String owner, String update, Binder binder,
                             java.util.function.UnaryOperator<Item> claimed) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            List<Item> due = selector.due(c);
            if (due.isEmpty()) {
                return due;
            }
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(update)) {
                for (Item item : due) {
                    binder.bind(ps, item);
                    ps.addBatch();
                }
                int[] counts = ps.executeBatch();
                c.commit();
                List<Item> result = new ArrayList<>(due.size());
                for (int i = 0; i < due.size(); i++) {
                    if (counts[i] == 1) {
                        result.add(claimed.apply(due.get(i)));
                    }
                }
                return result;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        }
    }

    /** The row as {@link #claimForSubmit} leaves it. */
    private static Item submitting(Item i, long now, long leaseUntil) {
        return new Item(i.id(), i.batchId(), i.itemKey(), i.requestId(), i.row(), i.take(), ItemState.SUBMITTING,
                i.prompt(), i.model(), i.seconds(), i.size(), i.remixOf(), i.inputReference(), i.metadataJson(),
                i.providerJobId(), i.progress(), i.attempts() + 1, i.statusChecks(), i.failures(), i.reconcileTries(),
                leaseUntil, i.errorCode(), i.errorMessage(), i.createdAt(), now, i.submittedAt(), i.completedAt(),
                i.expiresAt(), i.storedAt(), i.videoPath(), i.thumbnailPath(), i.bytes(), i.sha256());
    }

    private static List<Item> select(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            return readItems(ps);
        }
    }

    /**
     * Up to {@code limit} due PENDING items of OPEN batches, shared evenly: each batch with due items gets a share
     * in turn, starting after the batch served last; what a batch cannot use goes to those that have more.
     */
    private List<Item> duePendingRoundRobin(Connection c, long now, int limit) throws SQLException {
        List<Long> open = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select id from batch where state = 'OPEN' order by id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                open.add(rs.getLong(1));
            }
        }
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
        try (PreparedStatement ps = c.prepareStatement(DUE_PENDING_OF_BATCH)) {
            while (due.size() < limit && !turn.isEmpty()) {
                int share = Math.max(1, (limit - due.size() + turn.size() - 1) / turn.size());
                List<Long> haveMore = new ArrayList<>();
                for (long batch : turn) {
                    int wanted = Math.min(share, limit - due.size());
                    if (wanted == 0) {
                        break;
                    }
                    bind(ps, batch, now, wanted);
                    List<Item> items = readItems(ps);
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

    // ---------------------------------------------------------------- transitions

    /**
     * SUBMITTING → SUBMITTED with the provider's job id. Returns false when the item left SUBMITTING meanwhile or
     * the job id is already held by another item (then the caller reconciles).
     */
    public boolean markSubmitted(long id, String jobId, long nextPollAt) throws SQLException {
        long now = now();
        try {
            return update("update item set state = 'SUBMITTED', provider_job_id = ?, submitted_at = ?, progress = 0, "
                    + "failures = 0, next_attempt_at = ?, error_code = null, error_message = null "
                    + "where id = ? and state = 'SUBMITTING'", jobId, now, nextPollAt, id) == 1;
        } catch (SQLException e) {
            if (isUniqueViolation(e)) {
                return false;
            }
            throw e;
        }
    }

    /** SUBMITTING → PENDING: the create certainly did not happen; try again at {@code nextAt}. */
    public boolean backToPending(long id, long nextAt, String code, String message) throws SQLException {
        return update("update item set state = 'PENDING', next_attempt_at = ?, failures = failures + 1, "
                + "error_code = ?, error_message = ? where id = ? and state = 'SUBMITTING'",
                nextAt, code, truncate(message), id) == 1;
    }

    /** SUBMITTING → PENDING without counting an attempt: the create never left (e.g. credentials refused). */
    public boolean releaseUnsent(long id, long nextAt, String code, String message) throws SQLException {
        return update("update item set state = 'PENDING', next_attempt_at = ?, attempts = attempts - 1, "
                + "error_code = ?, error_message = ? where id = ? and state = 'SUBMITTING'",
                nextAt, code, truncate(message), id) == 1;
    }

    /** Stays in {@code state}; next try at {@code nextAt}; the error is kept on the row. */
    public boolean reschedule(long id, ItemState state, long nextAt, String code, String message) throws SQLException {
        return update("update item set next_attempt_at = ?, failures = failures + 1, error_code = ?, error_message = ? "
                + "where id = ? and state = ?", nextAt, code, truncate(message), id, state.name()) == 1;
    }

    /** Reconciliation could not settle a SUBMITTING item yet. */
    public boolean reconcileLater(long id, long nextAt, String code, String message) throws SQLException {
        return update("update item set next_attempt_at = ?, reconcile_tries = reconcile_tries + 1, error_code = ?, "
                + "error_message = ? where id = ? and state = 'SUBMITTING'", nextAt, code, truncate(message), id) == 1;
    }

    /** A status check that found the job still running. */
    public boolean recordProgress(long id, int progress, long nextPollAt) throws SQLException {
        return update("update item set progress = ?, status_checks = status_checks + 1, next_attempt_at = ?, "
                + "failures = 0, error_code = null, error_message = null where id = ? and state = 'SUBMITTED'",
                progress, nextPollAt, id) == 1;
    }

    /** SUBMITTED → COMPLETED; due for fetching at once, since content URLs expire. */
    public boolean markCompleted(long id, long completedAt, Long expiresAt) throws SQLException {
        return update("update item set state = 'COMPLETED', progress = 100, status_checks = status_checks + 1, "
                + "completed_at = ?, expires_at = ?, next_attempt_at = ?, failures = 0, error_code = null, error_message = null "
                + "where id = ? and state = 'SUBMITTED'", completedAt, expiresAt, now(), id) == 1;
    }

    public boolean markStored(long id, String videoPath, String thumbnailPath, long bytes, String sha256)
            throws SQLException {
        return update("update item set state = 'STORED', stored_at = ?, video_path = ?, thumbnail_path = ?, bytes = ?, "
                + "sha256 = ?, error_code = null, error_message = null where id = ? and state = 'COMPLETED'",
                now(), videoPath, thumbnailPath, bytes, sha256, id) == 1;
    }

    /** Moves to a terminal state (FAILED, EXPIRED, UNCERTAIN) from {@code from}, keeping the reason. */
    public boolean finish(long id, ItemState from, ItemState to, String code, String message) throws SQLException {
        if (!to.terminal()) {
            throw new IllegalArgumentException(to + " is not terminal");
        }
        return update("update item set state = ?, status_checks = status_checks + ?, error_code = ?, error_message = ? "
                + "where id = ? and state = ?", to.name(), from == ItemState.SUBMITTED ? 1 : 0, code,
                truncate(message), id, from.name()) == 1;
    }

    /** Reconciliation found the job a lost create response made: SUBMITTING → SUBMITTED with that id. */
    public boolean adoptJob(long id, String jobId, long submittedAt, long nextPollAt) throws SQLException {
        try {
            return update("update item set state = 'SUBMITTED', provider_job_id = ?, submitted_at = ?, "
                    + "failures = 0, next_attempt_at = ?, error_code = null, error_message = null "
                    + "where id = ? and state = 'SUBMITTING'", jobId, submittedAt, nextPollAt, id) == 1;
        } catch (SQLException e) {
            if (isUniqueViolation(e)) {
                return false;
            }
            throw e;
        }
    }

    /** Which of these provider job ids already belong to an item. */
    public Set<String> heldJobIds(Collection<String> jobIds) throws SQLException {
        Set<String> held = new HashSet<>();
        if (jobIds.isEmpty()) {
            return held;
        }
        String marks = jobIds.stream().map(j -> "?").collect(Collectors.joining(","));
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select provider_job_id from item where provider_job_id in ("
                     + marks + ")")) {
            int i = 1;
            for (String jobId : jobIds) {
                ps.setString(i++, jobId);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    held.add(rs.getString(1));
                }
            }
        }
        return held;
    }

    /** The provider job id of a stored item of an earlier batch, for {@code remix_of} given as an item id. */
    public Optional<String> jobIdOfRequest(String requestId) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select provider_job_id from item where request_id = ? "
                     + "and provider_job_id is not null and state in ('STORED','COMPLETED') order by id desc")) {
            ps.setString(1, requestId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    // ---------------------------------------------------------------- batches

    /**
     * Claims batches whose items are all terminal (or whose earlier finalizer died) for writing the manifest.
     */
    public List<Batch> claimFinalizable(long leaseMillis) throws SQLException {
        long now = now();
        List<Batch> candidates = queryBatches("select * from batch b where (b.state = 'OPEN' or (b.state = 'FINALIZING' "
                + "and b.lease_until < ?)) and not exists (select 1 from item i where i.batch_id = b.id and i.state in "
                + NON_TERMINAL + ") order by b.id", now);
        List<Batch> claimed = new ArrayList<>();
        for (Batch b : candidates) {
            if (update("update batch set state = 'FINALIZING', lease_until = ? where id = ? and state = ?",
                    now + leaseMillis, b.id(), b.state()) == 1) {
                claimed.add(b);
            }
        }
        return claimed;
    }

    public boolean markFinalized(long batchId) throws SQLException {
        return update("update batch set state = 'FINALIZED', finished_at = ?, lease_until = null, finalize_error = null "
                + "where id = ? and state = 'FINALIZING'", now(), batchId) == 1;
    }

    /** Writing the manifest failed: the batch stays FINALIZING and is claimed again at {@code retryAt}. */
    public boolean finalizeLater(long batchId, long retryAt, String reason) throws SQLException {
        return update("update batch set lease_until = ?, finalize_failures = finalize_failures + 1, finalize_error = ? "
                + "where id = ? and state = 'FINALIZING'", retryAt, truncate(reason), batchId) == 1;
    }

    /** Writing the manifest failed for good: the batch ends FINALIZE_FAILED with the reason. */
    public boolean markFinalizeFailed(long batchId, String reason) throws SQLException {
        return update("update batch set state = '" + Batch.FINALIZE_FAILED + "', finished_at = ?, lease_until = null, "
                + "finalize_failures = finalize_failures + 1, finalize_error = ? where id = ? and state = 'FINALIZING'",
                now(), truncate(reason), batchId) == 1;
    }

    /** Batches whose manifest could not be written get another chance (a new run, the output may be fixed). */
    public int reopenFailedFinalizations() throws SQLException {
        return update("update batch set state = 'OPEN', finalize_failures = 0, finished_at = null "
                + "where state = '" + Batch.FINALIZE_FAILED + "'");
    }

    public Batch batch(long batchId) throws SQLException {
        return queryBatches("select * from batch where id = ?", batchId).get(0);
    }

    /** Batches still to be driven to their manifest (a FINALIZE_FAILED one has ended, without it). */
    public List<Batch> unfinishedBatches() throws SQLException {
        return queryBatches("select * from batch where state not in ('FINALIZED', '" + Batch.FINALIZE_FAILED
                + "') order by id");
    }

    public List<Batch> batchesFinishedSince(long since) throws SQLException {
        return queryBatches("select * from batch where finished_at >= ? order by id", since);
    }

    public BatchCounts counts(long batchId) throws SQLException {
        Map<ItemState, Integer> byState = new EnumMap<>(ItemState.class);
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select state, count(*) from item where batch_id = ? group by state")) {
            ps.setLong(1, batchId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byState.put(ItemState.valueOf(rs.getString(1)), rs.getInt(2));
                }
            }
        }
        return new BatchCounts(byState);
    }

    /** Seconds of stored video per model and size ({@code model@size}), for the cost estimate. */
    public Map<String, Long> storedSeconds(long batchId) throws SQLException {
        Map<String, Long> seconds = new java.util.LinkedHashMap<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select model, size, sum(seconds) from item where batch_id = ? "
                     + "and state = 'STORED' group by model, size order by model, size")) {
            ps.setLong(1, batchId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    seconds.put(rs.getString(1) + "@" + rs.getString(2), rs.getLong(3));
                }
            }
        }
        return seconds;
    }

    /** Streams a batch's items in manifest order without holding them all. */
    public void forEachItem(long batchId, Consumer<Item> consumer) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false); // PostgreSQL streams with a cursor only inside a transaction
            try (PreparedStatement ps = c.prepareStatement("select " + ITEM_COLUMNS
                    + " from item where batch_id = ? order by row_no, take")) {
                ps.setFetchSize(500);
                ps.setLong(1, batchId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        consumer.accept(readItem(rs));
                    }
                }
            } finally {
                c.commit();
                c.setAutoCommit(autoCommit);
            }
        }
    }

    // ---------------------------------------------------------------- JDBC plumbing

    /** One row update, committed before this returns (together with those of other threads: {@link GroupCommit}). */
    int update(String sql, Object... args) throws SQLException {
        return writes.update(sql, args);
    }

    private int queryInt(String sql, Object... args) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    List<Batch> queryBatches(String sql, Object... args) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            List<Batch> batches = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    batches.add(new Batch(rs.getLong("id"), rs.getString("name"), rs.getString("source"),
                            rs.getString("source_sha256"), rs.getString("provider"), rs.getString("state"),
                            rs.getInt("total_items"), rs.getLong("created_at"), longOrNull(rs, "finished_at"),
                            rs.getInt("finalize_failures"), rs.getString("finalize_error")));
                }
            }
            return batches;
        }
    }

    static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a == null) {
                // of no stated type: PostgreSQL refuses a null typed VARCHAR for an integer column
                ps.setNull(i + 1, Types.NULL);
            } else if (a instanceof Long l) {
                ps.setLong(i + 1, l);
            } else if (a instanceof Integer n) {
                ps.setInt(i + 1, n);
            } else {
                ps.setString(i + 1, a.toString());
            }
        }
    }

    private static List<Item> readItems(PreparedStatement ps) throws SQLException {
        List<Item> items = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                items.add(readItem(rs));
            }
        }
        return items;
    }

    private static Item readItem(ResultSet rs) throws SQLException {
        return new Item(rs.getLong("id"), rs.getLong("batch_id"), rs.getString("item_key"), rs.getString("request_id"),
                rs.getInt("row_no"), rs.getInt("take"), ItemState.valueOf(rs.getString("state")), rs.getString("prompt"),
                rs.getString("model"), intOrNull(rs, "seconds"), rs.getString("size"), rs.getString("remix_of"),
                rs.getString("input_reference"), rs.getString("metadata"), rs.getString("provider_job_id"),
                rs.getInt("progress"), rs.getInt("attempts"), rs.getInt("status_checks"), rs.getInt("failures"),
                rs.getInt("reconcile_tries"), rs.getLong("next_attempt_at"), rs.getString("error_code"), rs.getString("error_message"),
                rs.getLong("created_at"), longOrNull(rs, "submitting_at"), longOrNull(rs, "submitted_at"),
                longOrNull(rs, "completed_at"), longOrNull(rs, "expires_at"), longOrNull(rs, "stored_at"),
                rs.getString("video_path"), rs.getString("thumbnail_path"), longOrNull(rs, "bytes"),
                rs.getString("sha256"));
    }

    private static Long longOrNull(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    private static Integer intOrNull(ResultSet rs, String column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    /** A unique index refused the row (also inside a JDBC batch, whose drivers chain the cause). */
    static boolean isUniqueViolation(SQLException e) {
        return hasState(e, "23505"::equals);
    }

    /**
     * The database refused a value of the row itself (SQL state class 22, data exception, or 23, integrity
     * constraint), as opposed to being unavailable: writing the same row again can never succeed.
     */
    public static boolean refusedValue(SQLException e) {
        return hasState(e, state -> state.startsWith("22") || state.startsWith("23"));
    }

    private static boolean hasState(SQLException e, java.util.function.Predicate<String> test) {
        Throwable t = e;
        for (int hops = 0; t != null && hops < 10; hops++) {
            if (t instanceof SQLException s && s.getSQLState() != null && test.test(s.getSQLState())) {
                return true;
            }
            t = t instanceof SQLException s && s.getNextException() != null ? s.getNextException() : t.getCause();
        }
        return false;
    }

    static String truncate(String message) {
        return message == null || message.length() <= 4000 ? message : message.substring(0, 3997) + "...";
    }
}

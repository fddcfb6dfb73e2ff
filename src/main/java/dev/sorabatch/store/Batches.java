package dev.sorabatch.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Batches: the ingest of one file into a new batch, the queries on batches and their items (progress, manifest),
 * and the claims of batches whose every item has ended, for writing their manifest once.
 */
public final class Batches {

    private static final int DELETE_CHUNK = 5000;
    private static final String ANY_ITEM_NOT_ENDED = "exists (select 1 from item i where i.batch_id = b.id and "
            + "i.state in " + ItemState.sqlList(ItemState.NOT_TERMINAL) + ")";

    private final Jdbc jdbc;

    Batches(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    // ---------------------------------------------------------------- ingest

    /**
     * Starts writing one file's rows into a new batch in state INGESTING, whose items no worker takes before
     * {@link IngestTransaction#open}.
     *
     * @param leaseMillis how long the batch counts as being ingested without a chunk committed; after that it is
     *                    taken for abandoned by a dead process and {@link #discardAbandonedIngests discarded}
     */
    public IngestTransaction beginIngest(String source, String provider, String defaultProvider, long leaseMillis)
            throws SQLException {
        return beginIngest(source, null, provider, defaultProvider, leaseMillis).orElseThrow();
    }

    /**
     * {@link #beginIngest(String, String, String, long)} of an input known by {@code sourceRef}, which the new batch
     * holds from the start: empty when another batch holds it, being read by another instance (until its lease runs
     * out) or committed.
     */
    public Optional<IngestTransaction> beginIngest(String source, String sourceRef, String provider,
                                                   String defaultProvider, long leaseMillis) throws SQLException {
        return IngestTransaction.begin(jdbc, this, source, sourceRef, provider, defaultProvider, leaseMillis);
    }

    /** Deletes the batches a dead process left INGESTING (lease run out), with their rows; returns how many. */
    public int discardAbandonedIngests() throws SQLException {
        List<Batch> abandoned = jdbc.queryBatches("select * from batch where state = '" + BatchState.INGESTING
                + "' and lease_until < ?", jdbc.now());
        for (Batch b : abandoned) {
            try (Connection c = jdbc.connection()) {
                deleteIngest(c, b.id());
            }
        }
        return abandoned.size();
    }

    /** Deletes an INGESTING batch and its items, a committed chunk at a time so memory stays flat (autocommit). */
    void deleteIngest(Connection c, long batchId) throws SQLException {
        try (PreparedStatement items = c.prepareStatement("delete from item where id in (select id from item "
                + "where batch_id = ? fetch first " + DELETE_CHUNK + " rows only)");
             PreparedStatement batch = c.prepareStatement("delete from batch where id = ? and state = '"
                     + BatchState.INGESTING + "'")) {
            items.setLong(1, batchId);
            while (items.executeUpdate() > 0) {
                // next chunk
            }
            batch.setLong(1, batchId);
            batch.executeUpdate();
        }
    }

    public Optional<Batch> bySourceRef(String sourceRef) throws SQLException {
        return jdbc.queryBatches("select * from batch where source_ref = ?", sourceRef).stream().findFirst();
    }

    public Optional<Batch> bySha(String sha256) throws SQLException {
        return jdbc.queryBatches("select * from batch where source_sha256 = ? order by id", sha256).stream().findFirst();
    }

    public Optional<Batch> find(String name) throws SQLException {
        return jdbc.queryBatches("select * from batch where name = ?", name).stream().findFirst();
    }

    /** Every batch, newest first. */
    public List<Batch> all() throws SQLException {
        return jdbc.queryBatches("select * from batch order by id desc");
    }

    /** The batch's revision: 1 for its first manifest, one more for every retry after a manifest was written. */
    public int revision(long batchId) throws SQLException {
        return jdbc.queryInt("select revision from batch where id = ?", batchId);
    }

    public Batch get(long batchId) throws SQLException {
        return jdbc.queryBatches("select * from batch where id = ?", batchId).get(0);
    }

    // ---------------------------------------------------------------- finalizing

    /** Claims batches whose items have all ended (or whose earlier finalizer died) for writing the manifest. */
    public List<Batch> claimFinalizable(long leaseMillis) throws SQLException {
        long now = jdbc.now();
        List<Batch> candidates = jdbc.queryBatches("select * from batch b where (b.state = '" + BatchState.OPEN
                + "' or (b.state = '" + BatchState.FINALIZING + "' and b.lease_until < ?)) and not "
                + ANY_ITEM_NOT_ENDED + " order by b.id", now);
        List<Batch> claimed = new ArrayList<>();
        for (Batch b : candidates) {
            // checked again in the claim: an operator's retry may have queued items since the query above
            if (jdbc.update("update batch b set state = '" + BatchState.FINALIZING + "', lease_until = ? where id = ? "
                    + "and state = ? and not " + ANY_ITEM_NOT_ENDED, now + leaseMillis, b.id(), b.state().name()) == 1) {
                claimed.add(b);
            }
        }
        return claimed;
    }

    /** The manifest is still being written: its claim is held until {@code leaseUntil}. */
    public boolean renewFinalizing(long batchId, long leaseUntil) throws SQLException {
        return jdbc.update("update batch set lease_until = ? where id = ? and state = '" + BatchState.FINALIZING + "'",
                leaseUntil, batchId) == 1;
    }

    public boolean finalized(long batchId) throws SQLException {
        return jdbc.update("update batch set state = '" + BatchState.FINALIZED + "', finished_at = ?, lease_until = null, "
                + "finalize_error = null where id = ? and state = '" + BatchState.FINALIZING + "'", jdbc.now(), batchId) == 1;
    }

    /** Writing the manifest failed: the batch stays FINALIZING and is claimed again at {@code retryAt}. */
    public boolean finalizeLater(long batchId, long retryAt, String reason) throws SQLException {
        return jdbc.update("update batch set lease_until = ?, finalize_failures = finalize_failures + 1, "
                + "finalize_error = ? where id = ? and state = '" + BatchState.FINALIZING + "'", retryAt,
                Jdbc.truncate(reason), batchId) == 1;
    }

    /** Writing the manifest failed for good: the batch ends FINALIZE_FAILED with the reason. */
    public boolean finalizeFailed(long batchId, String reason) throws SQLException {
        return jdbc.update("update batch set state = '" + BatchState.FINALIZE_FAILED + "', finished_at = ?, "
                + "lease_until = null, finalize_failures = finalize_failures + 1, finalize_error = ? where id = ? "
                + "and state = '" + BatchState.FINALIZING + "'", jdbc.now(), Jdbc.truncate(reason), batchId) == 1;
    }

    /** Batches whose manifest could not be written get another chance (a new run, the output may be fixed). */
    public int reopenFailedFinalizations() throws SQLException {
        return jdbc.update("update batch set state = '" + BatchState.OPEN + "', finalize_failures = 0, finished_at = null "
                + "where state = '" + BatchState.FINALIZE_FAILED + "'");
    }

    // ---------------------------------------------------------------- progress and manifests

    /** Batches still to be driven to their manifest (a FINALIZE_FAILED one has ended, without it). */
    public List<Batch> unfinished() throws SQLException {
        return jdbc.queryBatches("select * from batch where state not in ('" + BatchState.FINALIZED + "', '"
                + BatchState.FINALIZE_FAILED + "') order by id");
    }

    public List<Batch> finishedSince(long since) throws SQLException {
        return jdbc.queryBatches("select * from batch where finished_at >= ? order by id", since);
    }

    public BatchCounts counts(long batchId) throws SQLException {
        Map<ItemState, Integer> byState = new EnumMap<>(ItemState.class);
        try (Connection c = jdbc.connection();
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
        Map<String, Long> seconds = new LinkedHashMap<>();
        try (Connection c = jdbc.connection();
             PreparedStatement ps = c.prepareStatement("select model, size, sum(seconds) from item where batch_id = ? "
                     + "and state = '" + ItemState.STORED + "' group by model, size order by model, size")) {
            ps.setLong(1, batchId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    seconds.put(rs.getString(1) + "@" + rs.getString(2), rs.getLong(3));
                }
            }
        }
        return seconds;
    }

    /** The batch's stored clips, grouped by what sets their price. */
    public List<StoredClips> storedClips(long batchId) throws SQLException {
        List<StoredClips> clips = new ArrayList<>();
        try (Connection c = jdbc.connection();
             PreparedStatement ps = c.prepareStatement("select provider, model, size, resolution, audio, sum(seconds) "
                     + "from item where batch_id = ? and state = '" + ItemState.STORED + "' "
                     + "group by provider, model, size, resolution, audio order by provider, model, size")) {
            ps.setLong(1, batchId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    clips.add(new StoredClips(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            Jdbc.booleanOrNull(rs, "audio"), rs.getLong(6)));
                }
            }
        }
        return clips;
    }

    /** Streams a batch's items in manifest order without holding them all. */
    public void forEachItem(long batchId, Consumer<Item> consumer) throws SQLException {
        stream(batchId, "select " + Jdbc.ITEM_COLUMNS + " from item where batch_id = ? order by row_no, take",
                rs -> consumer.accept(Jdbc.readItem(rs)));
    }

    /** {@link #forEachItem} with what the probe of each stored video found; null for an item never probed. */
    public void forEachItemWithQa(long batchId, BiConsumer<Item, ClipReport> consumer) throws SQLException {
        stream(batchId, "select " + Jdbc.ITEM_COLUMNS + ", q.item_id as qa_item, q.duration_ms, q.width, q.height, "
                + "q.video_codec, q.audio_codec, q.flags from item left join item_qa q on q.item_id = item.id "
                + "where batch_id = ? order by row_no, take", rs -> {
                    Item item = Jdbc.readItem(rs);
                    rs.getLong("qa_item");
                    consumer.accept(item, rs.wasNull() ? null : new ClipReport(item.id(),
                            Jdbc.longOrNull(rs, "duration_ms"), rs.getInt("width"), rs.getInt("height"),
                            rs.getString("video_codec"), rs.getString("audio_codec"), rs.getString("flags")));
                });
    }

    /** Stored videos of the batch whose probe flagged something. */
    public int qaFailed(long batchId) throws SQLException {
        return jdbc.queryInt("select count(*) from item_qa q join item i on i.id = q.item_id where i.batch_id = ? "
                + "and q.flags <> '[]'", batchId);
    }

    private interface RowReader {
        void row(ResultSet rs) throws SQLException;
    }

    private void stream(long batchId, String sql, RowReader reader) throws SQLException {
        try (Connection c = jdbc.connection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false); // PostgreSQL streams with a cursor only inside a transaction
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setFetchSize(500);
                ps.setLong(1, batchId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        reader.row(rs);
                    }
                }
            } finally {
                c.commit();
                c.setAutoCommit(autoCommit);
            }
        }
    }
}

package dev.sorabatch.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Figures over every batch in the store, each one query, for the metrics. */
public final class Totals {

    /** Items of one provider in one state. */
    public record StateCount(String provider, ItemState state, long items) {
    }

    /** What was stored of one model and size: seconds of video and bytes. */
    /** Stored clips grouped by what sets their price, with their bytes. */
    public record Stored(StoredClips clips, long bytes) {
    }

    private final Jdbc jdbc;

    Totals(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public List<StateCount> itemsByProviderAndState() throws SQLException {
        List<StateCount> counts = new ArrayList<>();
        try (Connection c = jdbc.connection();
             PreparedStatement ps = c.prepareStatement("select coalesce(i.provider, b.provider), i.state, count(*) "
                     + "from item i join batch b on b.id = i.batch_id group by coalesce(i.provider, b.provider), i.state");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                counts.add(new StateCount(rs.getString(1), ItemState.valueOf(rs.getString(2)), rs.getLong(3)));
            }
        }
        return counts;
    }

    public List<Stored> stored() throws SQLException {
        List<Stored> stored = new ArrayList<>();
        try (Connection c = jdbc.connection();
             PreparedStatement ps = c.prepareStatement("select provider, model, size, resolution, audio, "
                     + "coalesce(sum(seconds), 0), coalesce(sum(bytes), 0) from item where state = '" + ItemState.STORED
                     + "' group by provider, model, size, resolution, audio");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                stored.add(new Stored(new StoredClips(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        Jdbc.booleanOrNull(rs, "audio"), rs.getLong(6)), rs.getLong(7)));
            }
        }
        return stored;
    }

    /** Whether the store answers a query now. */
    public void ping() throws SQLException {
        jdbc.queryInt("select 1");
    }
}

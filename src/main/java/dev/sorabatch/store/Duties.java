package dev.sorabatch.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Duties one instance does at a time for every instance on the store (V10 migration), held as leases: the holder
 * renews its lease each time it does the duty, another instance takes it only once the lease has run out. A
 * compare-and-set on the row decides, so two instances never both hold a duty, on H2 or PostgreSQL.
 */
public final class Duties {

    private final Jdbc jdbc;

    Duties(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Takes or renews {@code duty} for {@code owner} until now + {@code leaseMillis}.
     *
     * @return whether {@code owner} holds it now; false while another holder's lease runs
     */
    public boolean hold(String duty, String owner, long leaseMillis) throws SQLException {
        long now = jdbc.now();
        if (jdbc.update("update duty set owner = ?, lease_until = ? where name = ? and (owner = ? or lease_until < ?)",
                owner, now + leaseMillis, duty, owner, now) == 1) {
            return true;
        }
        try {
            return jdbc.update("insert into duty (name, owner, lease_until) values (?, ?, ?)", duty, owner,
                    now + leaseMillis) == 1;
        } catch (SQLException e) {
            if (Jdbc.isUniqueViolation(e)) {
                return false; // another instance holds it (or took it a moment ago)
            }
            throw e;
        }
    }

    /** Gives {@code duty} up if {@code owner} holds it, so that another instance need not wait for the lease. */
    public void release(String duty, String owner) throws SQLException {
        jdbc.update("delete from duty where name = ? and owner = ?", duty, owner);
    }

    /** Who holds {@code duty} now, if anyone's lease still runs. */
    public Optional<String> holder(String duty) throws SQLException {
        try (Connection c = jdbc.connection();
             PreparedStatement ps = c.prepareStatement("select owner from duty where name = ? and lease_until >= ?")) {
            Jdbc.bind(ps, duty, jdbc.now());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }
}

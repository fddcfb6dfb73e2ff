package dev.sorabatch.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The provider limits every instance on the store shares, per provider account (V8 migration). A create claim locks
 * the account's row, reads the creates granted in the sliding window and the jobs in flight, lets the caller's
 * {@link Pace} decide how many may go, claims that many items and records their grants, all in one transaction: two
 * instances' claims for one account follow each other, so together they keep to one account's limits. Accounts of
 * different providers never wait for each other.
 */
public final class ProviderAccounts {

    /** The limits, applied under the account's lock. */
    public interface Pace {
        /**
         * How many creates may be granted now; may change the account (a probe of the ceiling is recorded).
         *
         * @param grantedInWindow creates granted in the sliding window, by every instance
         * @param inFlight        the account's items in flight, counted when asked
         */
        int available(ProviderAccount account, int grantedInWindow, InFlight inFlight, long now) throws SQLException;

        /** {@code creates} were granted now (negative: that many grants were given back unused). */
        void granted(ProviderAccount account, int creates, long now);
    }

    /** Counts the account's items in flight, in the claim's transaction. */
    public interface InFlight {
        int count() throws SQLException;
    }

    private static final String ACCOUNT = "select provider, paused_until, allowance, allowance_at, ceiling, ceiling_named, "
            + "ceiling_set_at from provider_account where provider = ?";

    private final Jdbc jdbc;
    private final Claims claims;
    /** Accounts whose row is known to exist, so the claim's lock always finds one. */
    private final Set<String> known = ConcurrentHashMap.newKeySet();

    ProviderAccounts(Jdbc jdbc, Claims claims) {
        this.jdbc = jdbc;
        this.claims = claims;
    }

    /**
     * Claims due PENDING items of {@code provider} for creates ({@link Claims#forCreate(String, int, long, String)}),
     * up to {@code room} and as many as {@code pace} allows, and records a grant for each, in one transaction under the account's lock.
     * Grants older than the window are deleted on the way: an index range at the start of the account's grants.
     *
     * @param windowMillis the sliding window the grants are counted over
     */
    public List<Item> claimForCreate(String provider, int room, long windowMillis, Pace pace, long leaseMillis,
                                     String owner) throws SQLException {
        return locked(provider, (c, account, now) -> {
            long windowStart = now - windowMillis;
            try (PreparedStatement ps = c.prepareStatement("delete from create_grant where provider = ? and granted_at <= ?")) {
                Jdbc.bind(ps, provider, windowStart);
                ps.executeUpdate();
            }
            int inWindow = Jdbc.queryInt(c, "select count(*) from create_grant where provider = ? and granted_at > ?",
                    provider, windowStart);
            int wanted = Math.min(room, pace.available(account, inWindow, () -> claims.countInFlight(c, provider), now));
            List<Item> items = wanted <= 0 ? List.of() : claims.forCreate(c, provider, wanted, leaseMillis, owner);
            if (!items.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement(
                        "insert into create_grant (provider, granted_at, item_id) values (?, ?, ?)")) {
                    for (Item item : items) {
                        Jdbc.bind(ps, provider, now, item.id());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                pace.granted(account, items.size(), now);
            }
            return items;
        });
    }

    /** Gives back the grants of claimed items whose creates were not sent (the budget ended them). */
    public void giveBack(String provider, List<Item> unsent, Pace pace) throws SQLException {
        if (unsent.isEmpty()) {
            return;
        }
        locked(provider, (c, account, now) -> {
            int returned;
            try (PreparedStatement ps = c.prepareStatement("delete from create_grant where provider = ? and item_id in ("
                    + unsent.stream().map(i -> "?").collect(Collectors.joining(",")) + ")")) {
                ps.setString(1, provider);
                for (int i = 0; i < unsent.size(); i++) {
                    ps.setLong(i + 2, unsent.get(i).id());
                }
                returned = ps.executeUpdate();
            }
            pace.granted(account, -returned, now);
            return null;
        });
    }

    /** Changes the account under its lock: a Retry-After hold, a ceiling learned from a 429. */
    public void update(String provider, Consumer<ProviderAccount> change) throws SQLException {
        locked(provider, (c, account, now) -> {
            change.accept(account);
            return null;
        });
    }

    /** The account as stored now, without a lock (for figures). */
    public ProviderAccount get(String provider) throws SQLException {
        try (Connection c = jdbc.connection()) {
            ProviderAccount account = read(c, ACCOUNT, provider);
            return account != null ? account : new ProviderAccount(provider, 0, null, null, null, false, null);
        }
    }

    private interface Locked<T> {
        T run(Connection c, ProviderAccount account, long now) throws SQLException;
    }

    /** Runs {@code work} in one transaction holding the account's row lock; writes the account back if it changed. */
    private <T> T locked(String provider, Locked<T> work) throws SQLException {
        ensure(provider);
        try (Connection c = jdbc.connection()) {
            return Jdbc.inTransaction(c, () -> {
                ProviderAccount account = read(c, ACCOUNT + " for update", provider);
                T result = work.run(c, account, jdbc.now());
                if (account.changed()) {
                    try (PreparedStatement ps = c.prepareStatement("update provider_account set paused_until = ?, "
                            + "allowance = ?, allowance_at = ?, ceiling = ?, ceiling_named = ?, ceiling_set_at = ? "
                            + "where provider = ?")) {
                        Jdbc.bind(ps, account.pausedUntil(), account.allowance(), account.allowanceAt(),
                                account.ceiling(), account.ceilingNamed(), account.ceilingSetAt(), provider);
                        ps.executeUpdate();
                    }
                }
                return result;
            });
        }
    }

    /** The account's row, created the first time any instance uses the account. */
    private void ensure(String provider) throws SQLException {
        if (known.contains(provider)) {
            return;
        }
        try (Connection c = jdbc.connection();
             PreparedStatement ps = c.prepareStatement("insert into provider_account (provider) values (?)")) {
            ps.setString(1, provider);
            ps.executeUpdate();
        } catch (SQLException e) {
            if (!Jdbc.isUniqueViolation(e)) {
                throw e;
            }
        }
        known.add(provider);
    }

    private static ProviderAccount read(Connection c, String sql, String provider) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, provider);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                double allowance = rs.getDouble("allowance");
                Double allowanceOrNull = rs.wasNull() ? null : allowance;
                int ceiling = rs.getInt("ceiling");
                Integer ceilingOrNull = rs.wasNull() ? null : ceiling;
                return new ProviderAccount(provider, rs.getLong("paused_until"), allowanceOrNull,
                        Jdbc.longOrNull(rs, "allowance_at"), ceilingOrNull, rs.getBoolean("ceiling_named"),
                        Jdbc.longOrNull(rs, "ceiling_set_at"));
            }
        }
    }
}

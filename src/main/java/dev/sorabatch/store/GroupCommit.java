package dev.sorabatch.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

import javax.sql.DataSource;

/**
 * Row updates from many worker threads, committed together: a thread that finds no commit under way takes every
 * update queued so far, runs them in one transaction and commits once; threads that queued meanwhile wait for it
 * and then do the same for the next group. Every caller returns only after its own update is committed, so the
 * store's guarantees are those of one commit per update, at a fraction of the commits (each commit of the
 * embedded store writes a new chunk of the file).
 * <p>
 * An update that fails rolls its group back, and the group is run again one update per transaction, so one
 * failure (say, a job id already held) never affects another caller's update, on H2 or PostgreSQL alike.
 */
final class GroupCommit {

    private static final class Pending {
        final String sql;
        final Object[] args;
        volatile boolean done;
        int count;
        SQLException error;

        Pending(String sql, Object[] args) {
            this.sql = sql;
            this.args = args;
        }
    }

    private final DataSource dataSource;
    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final Object commitLock = new Object();

    GroupCommit(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    int update(String sql, Object... args) throws SQLException {
        Pending mine = new Pending(sql, args);
        queue.add(mine);
        synchronized (commitLock) {
            if (!mine.done) {
                List<Pending> group = new ArrayList<>();
                for (Pending p; (p = queue.poll()) != null; ) {
                    group.add(p);
                }
                run(group);
            }
        }
        if (mine.error != null) {
            throw mine.error;
        }
        return mine.count;
    }

    private void run(List<Pending> group) {
        if (group.size() > 1) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                try {
                    int[] counts = new int[group.size()];
                    for (int i = 0; i < group.size(); i++) {
                        counts[i] = execute(c, group.get(i));
                    }
                    c.commit();
                    for (int i = 0; i < group.size(); i++) {
                        group.get(i).count = counts[i];
                        group.get(i).done = true;
                    }
                    return;
                } catch (SQLException e) {
                    c.rollback();
                } finally {
                    c.setAutoCommit(true);
                }
            } catch (SQLException e) {
                // fall through: one by one
            }
        }
        for (Pending p : group) {
            try (Connection c = dataSource.getConnection()) {
                p.count = execute(c, p);
            } catch (SQLException e) {
                p.error = e;
            }
            p.done = true;
        }
    }

    private static int execute(Connection c, Pending p) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(p.sql)) {
            Jdbc.bind(ps, p.args);
            return ps.executeUpdate();
        }
    }
}

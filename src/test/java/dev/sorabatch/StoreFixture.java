package dev.sorabatch;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import com.zaxxer.hikari.HikariDataSource;

import dev.sorabatch.store.Batch;
import dev.sorabatch.store.Database;
import dev.sorabatch.store.IngestTransaction;
import dev.sorabatch.store.Item;
import dev.sorabatch.store.JobStore;
import dev.sorabatch.store.NewItem;
import dev.sorabatch.store.StoreSettings;

/**
 * A real job store, on an H2 file under a test's folder or on a fresh database of the shared embedded PostgreSQL
 * ({@link PostgresFixture}), with batches of plain pending items.
 */
public final class StoreFixture implements AutoCloseable {

    /** The databases the store runs on; store tests run on each ({@code @ParameterizedClass @EnumSource}). */
    public enum Engine {
        H2, POSTGRES
    }

    public final Engine engine;
    /** What opens this store's database again, e.g. a second pool: a second instance. */
    public final StoreSettings settings;
    public final HikariDataSource dataSource;
    public final JobStore store;

    public StoreFixture(Path dir, Clock clock) throws Exception {
        this(Engine.H2, dir, clock);
    }

    public StoreFixture(Engine engine, Path dir, Clock clock) throws Exception {
        this.engine = engine;
        settings = engine == Engine.H2 ? new StoreSettings("jdbc:h2:file:" + dir.resolve("jobs"), "sa", "", 8, false)
                : PostgresFixture.freshDatabase().settings(8);
        dataSource = Database.open(settings);
        store = new JobStore(dataSource, clock);
        store.migrate();
    }

    /** An open batch of {@code items} pending items {@code <name>-1}…, prompt "A scene N of name", sora-2, 4 s. */
    public Batch batch(String name, int items) throws Exception {
        return batch(name, items, "openai");
    }

    /** As {@link #batch(String, int)}, its items for {@code provider}. */
    public Batch batch(String name, int items, String provider) throws Exception {
        try (IngestTransaction tx = store.batches().beginIngest(name + ".csv", "simulator", provider, 30_000)) {
            for (int i = 1; i <= items; i++) {
                tx.add(new NewItem(i, name + "-" + i, name + "-" + i, name + "-" + i, 1, "A scene " + i + " of " + name,
                        "sora-2", 4, "720x1280", null, null, "{}", null));
            }
            tx.flush();
            return tx.open(name, name);
        }
    }

    /**
     * Another instance on the same store: a job store of its own (claim cursors and all) on the same database, as a
     * second JVM would have.
     */
    public JobStore instance(Clock clock) {
        return new JobStore(dataSource, clock);
    }

    /** The batch's items as the store has them now. */
    public List<Item> items(Batch batch) throws Exception {
        List<Item> items = new java.util.ArrayList<>();
        store.batches().forEachItem(batch.id(), items::add);
        return items;
    }

    public Item item(Batch batch, int row) throws Exception {
        return items(batch).get(row - 1);
    }

    @Override
    public void close() {
        dataSource.close();
    }
}

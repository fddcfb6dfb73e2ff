package dev.sorabatch.store;

import java.sql.SQLException;
import java.time.Clock;

import javax.sql.DataSource;

/**
 * The single source of truth: batches and items on JDBC (H2 file by default, PostgreSQL for scale-out), in three
 * parts: {@link Claims} of due rows for the workers, {@link ItemTransitions} (every change of an item, checked
 * against the state machine) and {@link Batches} (ingest, progress, manifests).
 */
public final class JobStore {

    private final Jdbc jdbc;
    private final Claims claims;
    private final ItemTransitions items;
    private final Batches batches;
    private final BatchActions actions;
    private final Totals totals;
    private final SpendLedger spend;
    private final ProviderAccounts accounts;
    private final CallbackHints callbacks;
    private final Duties duties;

    public JobStore(DataSource dataSource, Clock clock) {
        this.jdbc = new Jdbc(dataSource, clock);
        this.claims = new Claims(jdbc);
        this.items = new ItemTransitions(jdbc);
        this.batches = new Batches(jdbc);
        this.actions = new BatchActions(jdbc, batches);
        this.totals = new Totals(jdbc);
        this.spend = new SpendLedger(jdbc);
        this.accounts = new ProviderAccounts(jdbc, claims);
        this.callbacks = new CallbackHints(jdbc);
        this.duties = new Duties(jdbc);
    }

    /** Brings the schema up to date ({@link Database#migrate}). */
    public void migrate() {
        Database.migrate(jdbc.dataSource());
    }

    /** What the item table's text columns hold ({@link Database#itemColumns}). */
    public ColumnSizes itemColumns() throws SQLException {
        return Database.itemColumns(jdbc.dataSource());
    }

    public long now() {
        return jdbc.now();
    }

    public Claims claims() {
        return claims;
    }

    public ItemTransitions items() {
        return items;
    }

    public Batches batches() {
        return batches;
    }

    /** Cancel and retry, for the operator. */
    public BatchActions actions() {
        return actions;
    }

    /** Figures over the whole store, for metrics. */
    public Totals totals() {
        return totals;
    }

    /** What is reserved and spent against the budgets. */
    public SpendLedger spend() {
        return spend;
    }

    /** The provider limits every instance shares: creates per minute, jobs in flight, ceiling, Retry-After holds. */
    public ProviderAccounts accounts() {
        return accounts;
    }

    /** What verified provider callbacks may do: make a job's status check due now. */
    public CallbackHints callbacks() {
        return callbacks;
    }

    /** Duties one instance does at a time for all on the store, such as listing the input. */
    public Duties duties() {
        return duties;
    }

    /** One row update outside the workers' transitions (tests that set up a state). */
    int update(String sql, Object... args) throws SQLException {
        return jdbc.update(sql, args);
    }
}

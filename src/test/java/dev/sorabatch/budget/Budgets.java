package dev.sorabatch.budget;

import java.math.BigDecimal;

import dev.sorabatch.catalog.ModelCatalog;
import dev.sorabatch.store.JobStore;

/** Budgets and prices for tests that build workers by hand. */
public final class Budgets {

    private Budgets() {
    }

    /** The built-in catalogue's prices. */
    public static ItemPrices builtInPrices() {
        return new ItemPrices(ModelCatalog.builtIn(), "openai");
    }

    /** No limits: every create is priced and reserved, none refused. */
    public static Budget unlimited(JobStore store) {
        return perBatch(store, null);
    }

    /** @param usd the batch's limit, null for none */
    public static Budget perBatch(JobStore store, BigDecimal usd) {
        return new Budget(store, builtInPrices(), new BudgetSettings(false, usd, null));
    }
}

package dev.sorabatch.budget;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sorabatch.store.Item;
import dev.sorabatch.store.JobStore;
import dev.sorabatch.store.SpendLedger;

/**
 * Keeps creates within the budgets: each create's list price is reserved in the job store's spend ledger before it
 * is sent, and an item whose create would pass a budget ends SKIPPED_BUDGET, never sent. Also the running
 * estimated spend of a batch and of the day, for the progress line, the manifest and the metrics.
 */
public final class Budget {

    private static final Logger LOG = LoggerFactory.getLogger(Budget.class);

    private final JobStore store;
    private final ItemPrices prices;
    private final BudgetSettings settings;

    public Budget(JobStore store, ItemPrices prices, BudgetSettings settings) {
        this.store = store;
        this.prices = prices;
        this.settings = settings;
    }

    /**
     * Reserves the price of each claimed item's create; an item that would pass a budget (or that has no price
     * while a budget is set) is ended SKIPPED_BUDGET with the reason.
     *
     * @param claimed items just claimed for a create (SUBMITTING)
     * @return those whose create may be sent
     */
    public List<Item> admit(List<Item> claimed) throws SQLException {
        List<Item> admitted = new ArrayList<>(claimed.size());
        for (Item item : claimed) {
            Optional<String> refused = reserve(item);
            if (refused.isEmpty()) {
                admitted.add(item);
            } else if (store.items().overBudget(item.id(), refused.get())) {
                LOG.info("{} skipped: {}", item, refused.get());
            }
        }
        return admitted;
    }

    /** Empty when the create may be sent (its price is reserved), else why not. */
    private Optional<String> reserve(Item item) throws SQLException {
        Optional<BigDecimal> price = prices.usd(item);
        if (price.isEmpty()) {
            return settings.limited() ? Optional.of("the catalogue has no price for model " + item.model() + " at "
                    + item.size() + ", so its cost cannot be kept within the budget") : Optional.empty();
        }
        SpendLedger.Reservation r = store.spend().reserve(item.id(), item.batchId(), price.get(), settings.perBatch(),
                settings.perDay());
        return switch (r) {
            case RESERVED -> Optional.empty();
            case OVER_BATCH_BUDGET -> Optional.of("its estimated $" + usd(price.get()) + " would pass the batch budget "
                    + "of $" + usd(settings.perBatch()) + " (sora.budget.per-batch-usd)");
            case OVER_DAY_BUDGET -> Optional.of("its estimated $" + usd(price.get()) + " would pass the day's budget "
                    + "of $" + usd(settings.perDay()) + " (sora.budget.per-day-usd)");
        };
    }

    /** Estimated spend of the batch so far: the list prices of the creates sent (reserved) for it. */
    public BigDecimal spent(long batchId) throws SQLException {
        return store.spend().ofBatch(batchId);
    }

    /** Estimated spend of the current UTC day, over every batch and instance. */
    public BigDecimal spentToday() throws SQLException {
        return store.spend().today();
    }

    public BudgetSettings settings() {
        return settings;
    }

    public ItemPrices prices() {
        return prices;
    }

    /** Cents, rounded half up: {@code 0.40}. */
    public static String usd(BigDecimal amount) {
        return amount.setScale(2, RoundingMode.HALF_UP).toPlainString();
    }
}

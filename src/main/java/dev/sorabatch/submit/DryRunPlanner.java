package dev.sorabatch.submit;

import java.sql.SQLException;
import java.util.List;

import dev.sorabatch.store.Item;
import dev.sorabatch.store.ItemState;
import dev.sorabatch.worker.WorkContext;
import dev.sorabatch.worker.Worker;

/**
 * Takes the place of {@link SubmitWorker} in a dry run ({@code sora.dry-run=true}): each validated item ends
 * PLANNED without any call to the provider; the manifest prices it from the catalogue.
 */
public class DryRunPlanner implements Worker<Item> {

    private final WorkContext work;

    public DryRunPlanner(WorkContext work) {
        this.work = work;
    }

    @Override
    public List<Item> claim() throws SQLException {
        return work.claimDue(ItemState.PENDING);
    }

    @Override
    public void work(Item item) throws SQLException {
        work.store().items().planned(item.id());
    }
}

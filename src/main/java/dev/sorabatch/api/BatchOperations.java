package dev.sorabatch.api;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sorabatch.lifecycle.ProgressReporter;
import dev.sorabatch.manifest.CostEstimate;
import dev.sorabatch.provider.Capability;
import dev.sorabatch.provider.JobRef;
import dev.sorabatch.provider.ProviderException;
import dev.sorabatch.provider.ProviderRegistry;
import dev.sorabatch.provider.VideoProvider;
import dev.sorabatch.store.Batch;
import dev.sorabatch.store.BatchActions;
import dev.sorabatch.store.BatchCounts;
import dev.sorabatch.store.Item;
import dev.sorabatch.store.ItemState;
import dev.sorabatch.store.JobStore;

/**
 * What an operator sees and does, the same from the HTTP API and the command line: the batches with their progress,
 * one batch with its items, cancel and retry. Answers are plain maps and lists, written as JSON by the caller.
 */
public final class BatchOperations {

    private static final Logger LOG = LoggerFactory.getLogger(BatchOperations.class);

    /** A batch that does not exist (404), a request that makes no sense (400), an action refused now (409). */
    public static final class Refused extends Exception {
        private final int status;

        Refused(String message, int status) {
            super(message);
            this.status = status;
        }

        /** As an HTTP status. */
        public int status() {
            return status;
        }
    }

    private final JobStore store;
    private final CostEstimate cost;
    private final ProviderRegistry providers;

    /** Without the providers (the command line): jobs already at a provider are left to finish. */
    public BatchOperations(JobStore store, CostEstimate cost) {
        this(store, cost, null);
    }

    /** @param providers asked to stop a cancelled batch's jobs where they can; null for none */
    public BatchOperations(JobStore store, CostEstimate cost, ProviderRegistry providers) {
        this.store = store;
        this.cost = cost;
        this.providers = providers;
    }

    /** Every batch, newest first, with counts, ETA and spend so far. */
    public List<Map<String, Object>> batches() throws SQLException {
        List<Map<String, Object>> all = new ArrayList<>();
        for (Batch b : store.batches().all()) {
            all.add(summary(b));
        }
        return all;
    }

    /** One batch's summary and its items, each with its state and error. */
    public Map<String, Object> batch(String name) throws SQLException, Refused {
        Batch b = find(name);
        Map<String, Object> view = summary(b);
        List<Map<String, Object>> items = new ArrayList<>();
        store.batches().forEachItem(b.id(), item -> {
            Map<String, Object> i = new LinkedHashMap<>();
            i.put("id", item.requestId());
            i.put("row", item.row());
            i.put("take", item.take());
            i.put("status", status(item.state()));
            i.put("attempt", item.attempt());
            i.put("provider_job_id", item.providerJobId());
            i.put("progress", item.progress());
            i.put("video", item.videoPath());
            if (item.state() != ItemState.STORED && item.errorCode() != null) {
                i.put("error", Map.of("code", item.errorCode(), "message",
                        item.errorMessage() == null ? "" : item.errorMessage()));
            }
            items.add(i);
        });
        view.put("items", items);
        return view;
    }

    /**
     * Waiting items become CANCELLED. Jobs already at a provider that can cancel ({@link Capability#CANCEL}) are
     * cancelled there, and end {@code failed} with {@code job_cancelled} when the poll sees it; the others run to
     * their end and are fetched and stored, since they are paid.
     */
    public Map<String, Object> cancel(String name) throws SQLException, Refused {
        Batch b = find(name);
        BatchActions.Outcome outcome = store.actions().cancel(b.id());
        refuseIf(outcome, b, "cancelled");
        int atProvider = store.batches().counts(b.id()).inFlight();
        int stopped = providers == null ? 0 : cancelAtProviders(b);
        LOG.info("Batch {}: {} waiting items cancelled by the operator; {} at the provider, {} of them cancelled there",
                b.name(), outcome.items(), atProvider, stopped);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("batch_id", b.name());
        answer.put("cancelled", outcome.items());
        answer.put("at_provider", atProvider);
        answer.put("cancelled_at_provider", stopped);
        answer.put("note", "jobs at a provider that cannot cancel run to the end and are stored, since they are paid");
        return answer;
    }

    /** Best effort, one call per job: a job the provider will not stop is simply fetched when it ends. */
    private int cancelAtProviders(Batch b) throws SQLException {
        List<Item> running = new ArrayList<>();
        store.batches().forEachItem(b.id(), item -> {
            if (item.state() == ItemState.SUBMITTED && item.providerJobId() != null) {
                running.add(item);
            }
        });
        int stopped = 0;
        for (Item item : running) {
            VideoProvider provider = providers.adapter(item.provider() == null ? providers.defaultName()
                    : item.provider());
            if (!provider.can(Capability.CANCEL)) {
                continue;
            }
            try {
                provider.cancel(new JobRef(item.providerJobId(), item.providerJobHandle()));
                stopped++;
            } catch (ProviderException e) {
                LOG.warn("{} could not cancel job {} of {}: {}", provider.name(), item.providerJobId(), item.itemKey(),
                        e.getMessage());
            }
        }
        return stopped;
    }

    /** Items in these states queued again as new attempts; the manifest is written again when they end. */
    public Map<String, Object> retry(String name, Set<ItemState> states) throws SQLException, Refused {
        Batch b = find(name);
        BatchActions.Outcome outcome = store.actions().retry(b.id(), states);
        refuseIf(outcome, b, "retried");
        LOG.info("Batch {}: {} items ({}) queued again by the operator; manifest revision {}", b.name(),
                outcome.items(), states, outcome.revision());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("batch_id", b.name());
        answer.put("retried", outcome.items());
        answer.put("revision", outcome.revision());
        return answer;
    }

    /**
     * {@code failed,expired,uncertain} (any case, any order) as states; anything else is refused with the list.
     */
    public static Set<ItemState> retryStates(List<String> statuses) throws Refused {
        Set<ItemState> states = EnumSet.noneOf(ItemState.class);
        for (String raw : statuses) {
            for (String s : raw.split(",")) {
                String name = s.trim().toUpperCase(Locale.ROOT);
                if (name.isEmpty()) {
                    continue;
                }
                ItemState state = ItemState.RETRYABLE.stream().filter(r -> r.name().equals(name)).findFirst()
                        .orElseThrow(() -> new Refused("cannot retry status '" + s.trim() + "': only "
                                + statusList(ItemState.RETRYABLE), 400));
                states.add(state);
            }
        }
        if (states.isEmpty()) {
            throw new Refused("say which items to retry: status=" + statusList(ItemState.RETRYABLE), 400);
        }
        return states;
    }

    private Batch find(String name) throws SQLException, Refused {
        return store.batches().find(name).orElseThrow(() -> new Refused("no batch '" + name + "'", 404));
    }

    private static void refuseIf(BatchActions.Outcome outcome, Batch b, String done) throws Refused {
        if (outcome.refused()) {
            throw new Refused("batch " + b.name() + " cannot be " + done + " now: " + outcome.refusal(), 409);
        }
    }

    private Map<String, Object> summary(Batch b) throws SQLException {
        BatchCounts c = store.batches().counts(b.id());
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("batch_id", b.name());
        view.put("source", b.source());
        view.put("provider", b.provider());
        view.put("state", b.state().name().toLowerCase(Locale.ROOT));
        view.put("revision", store.batches().revision(b.id()));
        view.put("started_at", Instant.ofEpochMilli(b.createdAt()).toString());
        view.put("finished_at", b.finishedAt() == null ? null : Instant.ofEpochMilli(b.finishedAt()).toString());
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("total", c.total());
        for (ItemState s : ItemState.values()) {
            counts.put(status(s), c.get(s));
        }
        view.put("counts", counts);
        view.put("eta", b.ingesting() ? "unknown" : ProgressReporter.eta(b, c, store.now()));
        view.put("estimated_cost_usd", cost.usd(store.batches().storedClips(b.id())));
        return view;
    }

    static String status(ItemState state) {
        return state.name().toLowerCase(Locale.ROOT);
    }

    private static String statusList(Set<ItemState> states) {
        return String.join(",", states.stream().map(BatchOperations::status).toList());
    }
}

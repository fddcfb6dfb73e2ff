package dev.sorabatch.worker;

import java.sql.SQLException;
import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sorabatch.provider.ProviderException;
import dev.sorabatch.store.Item;
import dev.sorabatch.store.ItemState;
import dev.sorabatch.store.ItemTransitions;
import dev.sorabatch.store.Move;

/**
 * The one mapping from a failed provider call to a store transition: refused credentials close the
 * {@link ProviderGate} and leave the item to be tried once it opens; a job or content the provider no longer has
 * ends the item; a create that may have happened goes to reconciliation; anything else backs off.
 */
public final class Failures {

    private static final Logger LOG = LoggerFactory.getLogger(Failures.class);

    /** How an item ends when the provider no longer has its job or content. */
    public record Gone(Move move, String code, String message) {
    }

    private final ItemTransitions items;
    private final ProviderGate gate;
    private final Clock clock;

    public Failures(ItemTransitions items, ProviderGate gate, Clock clock) {
        this.items = items;
        this.gate = gate;
        this.clock = clock;
    }

    /**
     * A free call (a status check, a download) about an item that stays in {@code state} failed. Returns true when
     * the item backs off to {@code retryAt}.
     */
    public boolean freeCall(Item item, ItemState state, ProviderException e, Gone gone, long retryAt)
            throws SQLException {
        switch (e.kind()) {
            case NOT_FOUND -> {
                items.finish(item.id(), gone.move(), gone.code(), gone.message());
                return false;
            }
            case AUTH -> {
                items.reschedule(item.id(), state, clock.millis(), e.code(), e.getMessage());
                gate.refused(e);
                return false;
            }
            default -> {
                items.reschedule(item.id(), state, retryAt, e.code(), e.getMessage());
                return true;
            }
        }
    }

    /**
     * A create failed. Nothing happened at the provider (RETRYABLE): the item waits for a slot again at
     * {@code retryAt}, or fails when {@code giveUp}; it may have happened (OUTCOME_UNKNOWN): it stays SUBMITTING and
     * is reconciled from {@code reconcileAt}, never created again blindly.
     */
    public void create(Item item, ProviderException e, long retryAt, boolean giveUp, long reconcileAt)
            throws SQLException {
        String code = e.code();
        switch (e.kind()) {
            case RETRYABLE -> {
                if (giveUp) {
                    items.finish(item.id(), Move.CREATE_FAILED, code,
                            "gave up after " + item.attempts() + " attempts: " + e.getMessage());
                } else {
                    items.backToPending(item.id(), retryAt, code, e.getMessage());
                }
            }
            case OUTCOME_UNKNOWN -> {
                LOG.info("Create for {} has an unknown outcome ({}); reconciling before any new create",
                        item.itemKey(), e.getMessage());
                items.reschedule(item.id(), ItemState.SUBMITTING, reconcileAt, code, e.getMessage());
            }
            case REJECTED, NOT_FOUND, QUOTA_EXHAUSTED -> items.finish(item.id(), Move.CREATE_FAILED, code,
                    e.error() == null ? e.getMessage() : e.error().message());
            case AUTH -> {
                items.releaseUnsent(item.id(), clock.millis(), code, e.getMessage());
                gate.refused(e);
            }
        }
    }
}

package dev.sorabatch.worker;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sorabatch.provider.Capability;
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

    /** The error code of an item whose create may or may not have made a job. */
    public static final String UNKNOWN_CREATE = "create_outcome_unknown";

    private static final Logger LOG = LoggerFactory.getLogger(Failures.class);

    /** How an item ends when the provider no longer has its job or content. */
    public record Gone(Move move, String code, String message) {
    }

    private final ItemTransitions items;
    private final ProviderGate gate;
    private final Clock clock;
    private final Meters meters;

    public Failures(ItemTransitions items, ProviderGate gate, Clock clock, Meters meters) {
        this.items = items;
        this.gate = gate;
        this.clock = clock;
        this.meters = meters;
    }

    /** Whether {@code provider} may be called (it has not refused the credentials lately). */
    public boolean providerOpen(String provider) {
        return gate.open(provider);
    }

    /**
     * A free call (a status check, a download) about an item that stays in {@code state} failed. Returns true when
     * the item backs off to {@code retryAt}.
     */
    public boolean freeCall(Item item, ItemState state, ProviderException e, Gone gone, long retryAt)
            throws SQLException {
        countThrottled(e);
        switch (e.kind()) {
            case NOT_FOUND -> {
                items.finish(item.id(), gone.move(), gone.code(), gone.message());
                return false;
            }
            case AUTH -> {
                items.reschedule(item.id(), state, clock.millis(), e.code(), e.getMessage());
                gate.refused(item.provider(), e);
                return false;
            }
            default -> {
                items.reschedule(item.id(), state, retryAt, e.code(), e.getMessage());
                meters.retry(state == ItemState.SUBMITTED ? "status" : "download");
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
        create(item, e, retryAt, giveUp, reconcileAt, Set.of(Capability.LIST));
    }

    /**
     * As above, a create that may have happened settled by what the provider can do ({@link #ambiguous}); a create
     * refused because the account is out of credits or quota fails the item, saying that creates stopped.
     */
    public void create(Item item, ProviderException e, long retryAt, boolean giveUp, long reconcileAt,
                       Set<Capability> capabilities) throws SQLException {
        String code = e.code();
        countThrottled(e);
        if (e.kind() == ProviderException.Kind.OUTCOME_UNKNOWN) {
            ambiguous(item, e.getMessage(), code, retryAt, giveUp, reconcileAt, capabilities);
            return;
        }
        if (e.kind() == ProviderException.Kind.QUOTA_EXHAUSTED) {
            items.finish(item.id(), Move.CREATE_FAILED, code, quotaMessage(item.provider(), e.getMessage()));
            return;
        }
        switch (e.kind()) {
            case RETRYABLE -> {
                if (giveUp) {
                    items.finish(item.id(), Move.CREATE_FAILED, code,
                            "gave up after " + item.attempts() + " attempts: " + e.getMessage());
                } else {
                    items.backToPending(item.id(), retryAt, code, e.getMessage());
                    meters.retry("create");
                }
            }
            default -> throw new IllegalStateException("handled above: " + e.kind());
            case REJECTED, NOT_FOUND -> items.finish(item.id(), Move.CREATE_FAILED, code,
                    e.error() == null ? e.getMessage() : e.error().message());
            case AUTH -> {
                items.releaseUnsent(item.id(), clock.millis(), code, e.getMessage());
                gate.refused(item.provider(), e);
            }
        }
    }

    private void countThrottled(ProviderException e) {
        if (e.httpStatus() == 429) {
            meters.throttled();
        }
    }

    /**
     * A create that may have reached the provider (no answer, a 500/502/504, or a worker that died while sending
     * it). With {@link Capability#LIST} the provider is asked (the item stays SUBMITTING for the reconciler from
     * {@code reconcileAt}); with {@link Capability#IDEMPOTENT_CREATE} it is sent again with the same key at
     * {@code retryAt}, the provider returning the first job if there was one, until {@code giveUp}; with neither it
     * is UNCERTAIN at once: sending it again could pay for a second video.
     */
    public void ambiguous(Item item, String reason, String code, long retryAt, boolean giveUp, long reconcileAt,
                          Set<Capability> capabilities) throws SQLException {
        if (capabilities.contains(Capability.LIST)) {
            LOG.info("Create for {} has an unknown outcome ({}); reconciling before any new create",
                    item.itemKey(), reason);
            items.reschedule(item.id(), ItemState.SUBMITTING, reconcileAt, code, reason);
        } else if (capabilities.contains(Capability.IDEMPOTENT_CREATE) && !giveUp) {
            LOG.info("Create for {} has an unknown outcome ({}); sending it again with the same idempotency key",
                    item.itemKey(), reason);
            items.backToPending(item.id(), retryAt, code, reason + "; sent again with the same idempotency key");
        } else if (capabilities.contains(Capability.IDEMPOTENT_CREATE)) {
            LOG.warn("{} is UNCERTAIN: {}", item.itemKey(), reason);
            items.finish(item.id(), Move.CREATE_UNCERTAIN, UNKNOWN_CREATE, "the create to " + item.provider()
                    + " got no clear answer after " + item.attempts() + " attempts (" + reason + "); " + item.provider()
                    + " deduplicates creates on the item's key " + item.idempotencyKey()
                    + ", so re-queueing the item cannot make a second job");
        } else {
            LOG.warn("{} is UNCERTAIN: {}", item.itemKey(), reason);
            items.finish(item.id(), Move.CREATE_UNCERTAIN, UNKNOWN_CREATE, unknownCreate(item, reason));
        }
    }

    /** Why an item whose create may have happened is UNCERTAIN, and what to check before re-queueing it. */
    static String unknownCreate(Item item, String reason) {
        String provider = item.provider();
        long at = item.submittingAt() != null ? item.submittingAt() : item.createdAt();
        return "the create may have reached " + provider + " (" + reason + ") and " + provider
                + " cannot be asked whether it did: look for a job with this prompt created around "
                + Instant.ofEpochMilli(at).truncatedTo(ChronoUnit.SECONDS) + " in its dashboard; re-queue the item only if "
                + "there is none";
    }

    /** Why an item failed when its provider ran out of credits or quota. */
    public static String quotaMessage(String provider, String reason) {
        return provider + " can make no more jobs on this account (" + reason + "): creates to " + provider
                + " stopped for this run; add credits or raise the quota, then re-queue the item";
    }
}

package dev.sorabatch.ingest;

import java.sql.SQLException;

import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultPollingConsumerPollStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sorabatch.store.Duties;

/**
 * One instance at a time lists the input folder or bucket, whatever the number of instances on the store: each poll
 * of the folder or bucket consumer first takes or renews the listing's lease in the store ({@link Duties}), and an
 * instance that does not hold it skips the poll. The store already makes each input one batch (a batch holds its
 * input's identity from before the read), but two instances that list the same file would still both move it:
 * a failed rename, or a second copy in the bucket's done prefix. A queue needs no such duty: its messages go to one
 * consumer each.
 * <p>
 * A holder that stops gives the duty up; one that dies lets go when its lease runs out, at least two poll
 * intervals so that a live holder always renews it in time. The non-holders count as drained, so a run in once mode beside a service instance still ends:
 * it waits for the batches in the store, the holder's among them, not for a listing it will never do.
 */
public final class ListingDuty extends DefaultPollingConsumerPollStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(ListingDuty.class);

    private final Duties duties;
    private final String duty;
    private final String owner;
    private final long leaseMillis;
    private final InputEvents events;
    private volatile Boolean held;
    private volatile boolean released;

    /**
     * @param input       the input's location (sora.input): instances on one input share one duty
     * @param leaseMillis how long the lease of a holder that stops renewing it runs
     */
    public ListingDuty(Duties duties, String input, String owner, long leaseMillis, InputEvents events) {
        this.duties = duties;
        this.duty = "list " + input;
        this.owner = owner;
        this.leaseMillis = leaseMillis;
        this.events = events;
    }

    @Override
    public boolean begin(Consumer consumer, Endpoint endpoint) {
        if (released) {
            return false; // stopping: a last poll must not take the duty back
        }
        boolean holds;
        try {
            holds = duties.hold(duty, owner, leaseMillis);
        } catch (SQLException e) {
            LOG.warn("The input is not listed this time: the job store is unavailable ({})", e.getMessage());
            return false;
        }
        if (!Boolean.valueOf(holds).equals(held)) {
            LOG.info(holds ? "This instance ({}) lists the input" : "Another instance lists the input; {} leaves it "
                    + "to it and takes over if it stops", owner);
        }
        held = holds;
        if (!holds) {
            events.sourceIdle();
        }
        return holds;
    }

    /** At a clean stop: another instance lists the input from its next poll on, not once the lease has run out. */
    public void release() {
        released = true;
        try {
            duties.release(duty, owner);
        } catch (SQLException e) {
            LOG.debug("The listing lease is left to run out: {}", e.getMessage());
        }
    }
}

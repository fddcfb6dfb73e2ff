package dev.sorabatch.manifest;

import java.sql.SQLException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sorabatch.output.OutputStore;
import dev.sorabatch.provider.RetryPolicy;
import dev.sorabatch.store.Batch;
import dev.sorabatch.store.BatchCounts;
import dev.sorabatch.store.ItemState;
import dev.sorabatch.store.JobStore;

/**
 * Writes the manifests of batches whose items are all terminal, once: the batch is claimed (FINALIZING) before
 * writing and FINALIZED after; a finalizer that dies in between leaves a lease that expires, and the rewrite
 * replaces the files atomically with the same content.
 * <p>
 * Each batch is finalized on its own: whatever goes wrong with one (a full disk, an unreadable row) is kept on that
 * batch and the others go on. A failed write is tried again on the short backoff of free calls; when those tries
 * are used up the batch ends FINALIZE_FAILED with the reason (once mode then exits with code 3 and says why), and
 * a later run tries it again.
 */
public class Finalizer {

    private static final Logger LOG = LoggerFactory.getLogger(Finalizer.class);

    private final JobStore store;
    private final ManifestWriter manifests;
    private final OutputStore output;
    private final RetryPolicy retry;
    private final long leaseMillis;

    public Finalizer(JobStore store, ManifestWriter manifests, OutputStore output, RetryPolicy retry, long leaseMillis) {
        this.store = store;
        this.manifests = manifests;
        this.output = output;
        this.retry = retry;
        this.leaseMillis = leaseMillis;
    }

    public void finalizeReady() throws SQLException {
        for (Batch batch : store.claimFinalizable(leaseMillis)) {
            try {
                manifests.write(batch, store.now());
            } catch (Exception e) { // one batch's failure, whatever it is, must not stop the others
                failed(batch, OutputStore.describe(e));
                continue;
            }
            store.markFinalized(batch.id());
            BatchCounts c = store.counts(batch.id());
            LOG.info("Batch {} finished: {} stored, {} failed, {} rejected, {} expired, {} uncertain of {}; manifest: {}",
                    batch.name(), c.get(ItemState.STORED), c.get(ItemState.FAILED), c.get(ItemState.REJECTED),
                    c.get(ItemState.EXPIRED), c.get(ItemState.UNCERTAIN), c.total(),
                    output.location(batch.name(), "manifest.json"));
        }
    }

    private void failed(Batch batch, String reason) throws SQLException {
        int failures = batch.finalizeFailures() + 1;
        if (retry.exhausted(failures)) {
            LOG.error("Batch {}: its manifest could not be written after {} tries, giving up: {}", batch.name(),
                    failures, reason);
            store.markFinalizeFailed(batch.id(), reason);
        } else {
            long delay = retry.delayMillis(failures, null);
            LOG.warn("Batch {}: its manifest could not be written (try {}): {}; trying again in {} ms", batch.name(),
                    failures, reason, delay);
            store.finalizeLater(batch.id(), store.now() + delay, reason);
        }
    }
}

package dev.sorabatch.manifest;

import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sorabatch.output.OutputStore;
import dev.sorabatch.store.Batch;
import dev.sorabatch.store.BatchCounts;
import dev.sorabatch.store.Batches;
import dev.sorabatch.store.ItemState;
import dev.sorabatch.worker.Backoff;
import dev.sorabatch.worker.WorkContext;
import dev.sorabatch.worker.Worker;

/**
 * Writes the manifests of batches whose items are all terminal, once: the batch is claimed (FINALIZING) before
 * writing and FINALIZED after; a finalizer that dies in between leaves a lease that expires, and the rewrite
 * replaces the files atomically with the same content. The lease is renewed while the manifest is written, so that a
 * large batch that takes longer than a lease is not taken for abandoned by another instance and written twice.
 * <p>
 * Each batch is finalized on its own: whatever goes wrong with one (a full disk, an unreadable row) is kept on that
 * batch and the others go on. A failed write is tried again on the short backoff of free calls; when those tries
 * are used up the batch ends FINALIZE_FAILED with the reason (once mode then exits with code 3 and says why), and
 * a later run tries it again.
 */
public class Finalizer implements Worker<Batch> {

    private static final Logger LOG = LoggerFactory.getLogger(Finalizer.class);
    /** Renews the claims of manifests being written; a daemon, so it never holds the JVM open. */
    private static final ScheduledExecutorService RENEWALS = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sora-finalize-lease");
        t.setDaemon(true);
        return t;
    });

    private final WorkContext work;
    private final Batches batches;
    private final ManifestWriter manifests;
    private final OutputStore output;
    private final Backoff backoff;

    /** @param backoff of free calls */
    public Finalizer(WorkContext work, ManifestWriter manifests, OutputStore output, Backoff backoff) {
        this.work = work;
        this.batches = work.store().batches();
        this.manifests = manifests;
        this.output = output;
        this.backoff = backoff;
    }

    @Override
    public List<Batch> claim() throws SQLException {
        return batches.claimFinalizable(work.settings().leaseMillis());
    }

    @Override
    public void work(Batch batch) throws SQLException {
        long lease = work.settings().leaseMillis();
        ScheduledFuture<?> renewal = RENEWALS.scheduleAtFixedRate(() -> renew(batch, lease), lease / 3, lease / 3,
                TimeUnit.MILLISECONDS);
        try {
            manifests.write(batch, work.now());
        } catch (Exception e) { // whatever it is, it is this batch's failure, kept on it
            failed(batch, OutputStore.describe(e));
            return;
        } finally {
            renewal.cancel(false);
        }
        batches.finalized(batch.id());
        BatchCounts c = batches.counts(batch.id());
        LOG.info("Batch {} finished: {} stored, {} failed, {} rejected, {} expired, {} uncertain, {} planned, {} over "
                + "budget of {}; manifest: {}; gallery: {}", batch.name(), c.get(ItemState.STORED), c.get(ItemState.FAILED),
                c.get(ItemState.REJECTED), c.get(ItemState.EXPIRED), c.get(ItemState.UNCERTAIN),
                c.get(ItemState.PLANNED), c.get(ItemState.SKIPPED_BUDGET), c.total(),
                output.location(batch.name(), "manifest.json"), output.location(batch.name(), GalleryWriter.FILE_NAME));
    }

    private void renew(Batch batch, long lease) {
        try {
            batches.renewFinalizing(batch.id(), work.now() + lease);
        } catch (SQLException e) {
            LOG.warn("Batch {}: the claim on its manifest could not be renewed: {}", batch.name(), e.getMessage());
        }
    }

    private void failed(Batch batch, String reason) throws SQLException {
        int failures = batch.finalizeFailures() + 1;
        if (backoff.exhausted(failures)) {
            LOG.error("Batch {}: its manifest could not be written after {} tries, giving up: {}", batch.name(),
                    failures, reason);
            batches.finalizeFailed(batch.id(), reason);
        } else {
            long delay = backoff.delayMillis(failures, null);
            LOG.warn("Batch {}: its manifest could not be written (try {}): {}; trying again in {} ms", batch.name(),
                    failures, reason, delay);
            batches.finalizeLater(batch.id(), work.now() + delay, reason);
        }
    }
}

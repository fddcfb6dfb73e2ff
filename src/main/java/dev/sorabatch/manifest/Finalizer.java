package dev.sorabatch.manifest;

import java.io.IOException;
import java.sql.SQLException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sorabatch.output.OutputStore;
import dev.sorabatch.store.Batch;
import dev.sorabatch.store.BatchCounts;
import dev.sorabatch.store.ItemState;
import dev.sorabatch.store.JobStore;

/**
 * Writes the manifests of batches whose items are all terminal, once: the batch is claimed (FINALIZING) before
 * writing and FINALIZED after; a finalizer that dies in between leaves a lease that expires, and the rewrite
 * replaces the files atomically with the same content.
 */
public class Finalizer {

    private static final Logger LOG = LoggerFactory.getLogger(Finalizer.class);

    private final JobStore store;
    private final ManifestWriter manifests;
    private final OutputStore output;
    private final long leaseMillis;

    public Finalizer(JobStore store, ManifestWriter manifests, OutputStore output, long leaseMillis) {
        this.store = store;
        this.manifests = manifests;
        this.output = output;
        this.leaseMillis = leaseMillis;
    }

    public void finalizeReady() throws SQLException, IOException {
        for (Batch batch : store.claimFinalizable(leaseMillis)) {
            manifests.write(batch, store.now());
            store.markFinalized(batch.id());
            BatchCounts c = store.counts(batch.id());
            LOG.info("Batch {} finished: {} stored, {} failed, {} rejected, {} expired, {} uncertain of {}; manifest: {}",
                    batch.name(), c.get(ItemState.STORED), c.get(ItemState.FAILED), c.get(ItemState.REJECTED),
                    c.get(ItemState.EXPIRED), c.get(ItemState.UNCERTAIN), c.total(),
                    output.location(batch.name(), "manifest.json"));
        }
    }
}

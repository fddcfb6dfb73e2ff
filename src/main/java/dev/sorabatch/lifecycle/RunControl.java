package dev.sorabatch.lifecycle;

import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sorabatch.ingest.InputEvents;
import dev.sorabatch.provider.ProviderException;
import dev.sorabatch.provider.ProviderRegistry;
import dev.sorabatch.store.Batch;
import dev.sorabatch.store.BatchCounts;
import dev.sorabatch.store.ItemState;
import dev.sorabatch.store.JobStore;
import dev.sorabatch.worker.ProviderGate;

/**
 * Service or once mode, and the process exit code: 0 every item stored, 3 finished with items not stored (or a
 * file set aside, or a manifest that could not be written), 1 could not run (bad settings, credentials refused).
 */
public class RunControl implements InputEvents {

    public static final int EXIT_OK = 0;
    public static final int EXIT_CANNOT_RUN = 1;
    public static final int EXIT_INCOMPLETE = 3;

    private static final Logger LOG = LoggerFactory.getLogger(RunControl.class);
    // The exit code belongs to the process, and must outlive the CamelContext that decided it.
    private static final AtomicInteger EXIT = new AtomicInteger(EXIT_CANNOT_RUN);

    private final CamelContext camel;
    private final JobStore store;
    private final boolean once;
    private final long startedAt;
    private final AtomicInteger filesSetAside = new AtomicInteger();
    private volatile boolean sourceDrained;
    private volatile boolean stopping;

    /** @param gate closes when the provider refuses the credentials: once mode then ends with exit code 1 */
    public RunControl(CamelContext camel, JobStore store, ProviderGate gate, boolean once) {
        this.camel = camel;
        this.store = store;
        this.once = once;
        this.startedAt = store.now();
        gate.onRefused(e -> {
            if (once) {
                stop(EXIT_CANNOT_RUN);
            }
        });
    }

    public static int exitCode() {
        return EXIT.get();
    }

    /**
     * Checks every provider's credentials before any work: a refused key ends the run with exit code 1.
     *
     * @param providers null in a dry run, which makes no provider call at all
     */
    public void started(ProviderRegistry providers) {
        for (ProviderRegistry.Entry provider : providers == null ? List.<ProviderRegistry.Entry>of()
                : providers.entries()) {
            try {
                provider.adapter().verifyAccess();
            } catch (ProviderException e) {
                if (e.kind() == ProviderException.Kind.AUTH) {
                    String hint = provider.credentialsHint().isEmpty() ? "OPENAI_API_KEY / sora.openai.api-key"
                            : provider.credentialsHint();
                    LOG.error("{} refused the credentials: {} (check {})", provider.name(), e.getMessage(), hint);
                    stop(EXIT_CANNOT_RUN);
                    return;
                }
                LOG.warn("{} could not be reached yet ({}); the workers will keep trying", provider.name(),
                        e.getMessage());
            }
        }
        EXIT.set(EXIT_OK);
        String since = ProcessHandle.current().info().startInstant()
                .map(t -> String.format(" (started in %.2f s)", (System.currentTimeMillis() - t.toEpochMilli()) / 1000.0))
                .orElse("");
        LOG.info(once ? "Running once: taking what is in the source now, then exiting{}" : "Watching the source{}",
                since);
        if (providers == null) {
            LOG.info("Dry run: every item is validated and priced, and nothing is sent to the provider");
        }
    }

    public boolean once() {
        return once;
    }

    @Override
    public void sourceIdle() {
        sourceDrained = true;
    }

    @Override
    public void fileSetAside() {
        filesSetAside.incrementAndGet();
    }

    /** Once mode: exits when the source is drained and every batch is finalized. */
    public void checkDone() throws SQLException {
        if (!once || !sourceDrained || stopping || !store.batches().unfinished().isEmpty()) {
            return;
        }
        List<Batch> batches = store.batches().finishedSince(startedAt);
        boolean allStored = filesSetAside.get() == 0;
        int noManifest = 0;
        for (Batch b : batches) {
            if (b.finalizeFailed()) {
                LOG.error("Once mode: batch {} has no manifest: {}", b.name(), b.finalizeError());
                noManifest++;
                allStored = false;
                continue;
            }
            BatchCounts counts = store.batches().counts(b.id());
            allStored &= counts.get(ItemState.STORED) + counts.get(ItemState.PLANNED) == counts.total();
        }
        LOG.info("Once mode: {} batch(es) finalized, {} without a manifest, {} file(s) set aside; exiting",
                batches.size() - noManifest, noManifest, filesSetAside.get());
        stop(allStored ? EXIT_OK : EXIT_INCOMPLETE);
    }

    private void stop(int code) {
        if (stopping) {
            return;
        }
        stopping = true;
        EXIT.set(code);
        // stopping the context from one of its own threads would wait on itself
        Thread stopper = new Thread(camel::stop, "sora-stop");
        stopper.start();
    }
}

package dev.sorabatch.worker;

import dev.sorabatch.provider.VideoJob;
import dev.sorabatch.store.Item;

/** When to check a job first, once the provider has accepted it (by its create, or found by reconciliation). */
public interface CheckSchedule {

    /** Epoch millis of the first status check of {@code job}, made for {@code item}. */
    long firstCheck(Item item, VideoJob job);
}

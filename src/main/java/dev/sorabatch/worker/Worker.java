package dev.sorabatch.worker;

import java.util.List;

/**
 * One kind of work on the job store: claim due rows, make one provider or storage call per row, record the outcome.
 * Every worker runs in the same route ({@code routes/workers.yaml}): a timer calls {@link #claim}, and each claimed
 * element goes to {@link #work} on its own, in parallel. No work lives only in the route: a restart resumes from
 * the store.
 */
public interface Worker<T> {

    /** The due work, already claimed (a lease committed in the store) when this returns. */
    List<T> claim() throws Exception;

    /** One call, one recorded outcome. */
    void work(T claimed) throws Exception;
}

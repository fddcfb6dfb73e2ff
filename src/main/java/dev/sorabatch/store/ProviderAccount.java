package dev.sorabatch.store;

/**
 * One provider account's shared pacing state as its row holds it (V8 migration): the Retry-After hold, the burst
 * allowance and the learned concurrency ceiling. Read and changed under the row's lock ({@link ProviderAccounts});
 * what the values mean is the submit side's ({@code CreateRateLimiter}, {@code ConcurrencyCeiling}).
 */
public final class ProviderAccount {

    private final String provider;
    private long pausedUntil;
    private Double allowance;
    private Long allowanceAt;
    private Integer ceiling;
    private boolean ceilingNamed;
    private Long ceilingSetAt;
    private boolean changed;

    ProviderAccount(String provider, long pausedUntil, Double allowance, Long allowanceAt, Integer ceiling,
                    boolean ceilingNamed, Long ceilingSetAt) {
        this.provider = provider;
        this.pausedUntil = pausedUntil;
        this.allowance = allowance;
        this.allowanceAt = allowanceAt;
        this.ceiling = ceiling;
        this.ceilingNamed = ceilingNamed;
        this.ceilingSetAt = ceilingSetAt;
    }

    public String provider() {
        return provider;
    }

    /** No create before this (epoch millis). */
    public long pausedUntil() {
        return pausedUntil;
    }

    /** Creates that may go back to back as of {@link #allowanceAt()}; null before the first grant (the whole burst). */
    public Double allowance() {
        return allowance;
    }

    public Long allowanceAt() {
        return allowanceAt;
    }

    /** Jobs at once the provider allows, as learned; null when none was learned. */
    public Integer ceiling() {
        return ceiling;
    }

    /** Whether the provider named the ceiling (rather than it being inferred from the jobs in flight). */
    public boolean ceilingNamed() {
        return ceilingNamed;
    }

    public Long ceilingSetAt() {
        return ceilingSetAt;
    }

    public void pausedUntil(long untilMillis) {
        pausedUntil = untilMillis;
        changed = true;
    }

    public void allowance(double creates, long at) {
        allowance = creates;
        allowanceAt = at;
        changed = true;
    }

    public void ceiling(int jobs, boolean named, long at) {
        ceiling = jobs;
        ceilingNamed = named;
        ceilingSetAt = at;
        changed = true;
    }

    boolean changed() {
        return changed;
    }
}

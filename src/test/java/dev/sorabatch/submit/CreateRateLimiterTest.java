package dev.sorabatch.submit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.sorabatch.ManualClock;

class CreateRateLimiterTest {

    private final ManualClock clock = new ManualClock(1_000_000);
    private final AtomicLong now = clock.millis;

    @Test
    void neverGrantsMoreThanTheLimitInAnySlidingMinute() {
        CreateRateLimiter limiter = new CreateRateLimiter(clock, 3, 0);
        assertThat(limiter.acquire(2)).isEqualTo(2);
        now.addAndGet(30_000);
        assertThat(limiter.acquire(5)).isEqualTo(1);
        now.addAndGet(29_999);
        assertThat(limiter.available()).isZero();
        now.addAndGet(1); // the first two leave the window
        assertThat(limiter.acquire(5)).isEqualTo(2);
        now.addAndGet(30_000); // the third leaves
        assertThat(limiter.acquire(5)).isEqualTo(1);
    }

    @Test
    void providerRetryAfterPausesEveryCreateUntilItHasPassed() {
        CreateRateLimiter limiter = new CreateRateLimiter(clock, 100, 0);
        limiter.pauseUntil(now.get() + 5_000);
        assertThat(limiter.acquire(1)).isZero();
        now.addAndGet(4_999);
        assertThat(limiter.available()).isZero();
        now.addAndGet(1);
        assertThat(limiter.acquire(1)).isEqualTo(1);
    }

    @Test
    void marginWidensTheWindow() {
        CreateRateLimiter limiter = new CreateRateLimiter(clock, 1, 500);
        assertThat(limiter.acquire(1)).isEqualTo(1);
        now.addAndGet(60_000);
        assertThat(limiter.available()).isZero();
        now.addAndGet(500);
        assertThat(limiter.available()).isEqualTo(1);
    }

    @Test
    void burstBoundSpreadsCreatesEvenlyOverTheMinute() {
        CreateRateLimiter limiter = new CreateRateLimiter(clock, 300, 2, 0); // one per 200 ms after two at once
        assertThat(limiter.acquire(10)).isEqualTo(2);
        assertThat(limiter.available()).isZero();
        now.addAndGet(199);
        assertThat(limiter.available()).isZero();
        now.addAndGet(1);
        assertThat(limiter.acquire(10)).isEqualTo(1);
        now.addAndGet(1_000); // the allowance refills up to the burst, no further
        assertThat(limiter.acquire(10)).isEqualTo(2);
        int granted = 3 + 2;
        for (int i = 0; i < 600; i++) {
            now.addAndGet(100);
            granted += limiter.acquire(10);
        }
        // 60 s later: never more than the minute's limit, and the rate kept up
        assertThat(granted).isBetween(300, 306);
    }
}

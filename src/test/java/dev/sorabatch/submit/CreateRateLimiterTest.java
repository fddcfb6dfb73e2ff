package dev.sorabatch.submit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import dev.sorabatch.ManualClock;
import dev.sorabatch.StoreFixture;
import dev.sorabatch.provider.ProviderLimits;
import dev.sorabatch.provider.ProviderRegistry;

/**
 * The creates per sliding minute, the burst and the Retry-After hold, as instances sharing one job store keep to
 * them together (on H2 and PostgreSQL): each "instance" is a provider lane on a job store of its own over the same
 * database.
 */
@ParameterizedClass
@EnumSource(StoreFixture.Engine.class)
class CreateRateLimiterTest {

    @Parameter
    StoreFixture.Engine engine;

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(1_000_000);
    private final AtomicLong now = clock.millis;
    private StoreFixture fixture;

    @BeforeEach
    void open() throws Exception {
        fixture = new StoreFixture(engine, dir, clock);
        fixture.batch("openai", 700);
        fixture.batch("more", 300);
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void neverGrantsMoreThanTheLimitInAnySlidingMinuteAcrossInstances() throws Exception {
        ProviderLane a = instance("openai", 3, 3, 0);
        ProviderLane b = instance("openai", 3, 3, 0);
        assertThat(claim(a, 2)).isEqualTo(2);
        now.addAndGet(30_000);
        assertThat(claim(b, 5)).as("one left of the minute, whichever instance asks").isEqualTo(1);
        now.addAndGet(29_999);
        assertThat(claim(a, 5)).isZero();
        assertThat(claim(b, 5)).isZero();
        now.addAndGet(1); // the first two leave the window
        assertThat(claim(b, 5)).isEqualTo(2);
        now.addAndGet(30_000); // the third leaves
        assertThat(claim(a, 5)).isEqualTo(1);
    }

    @Test
    void retryAfterSeenByOneInstanceHoldsEveryInstanceUntilItHasPassed() throws Exception {
        ProviderLane a = instance("openai", 100, 100, 0);
        ProviderLane b = instance("openai", 100, 100, 0);
        a.rateLimited(now.get() + 5_000, "Rate limit reached for sora-2 on requests per min (RPM)");
        assertThat(claim(a, 1)).isZero();
        assertThat(claim(b, 1)).as("held by the 429 the other instance met").isZero();
        now.addAndGet(4_999);
        assertThat(claim(b, 1)).isZero();
        now.addAndGet(1);
        assertThat(claim(b, 1)).isEqualTo(1);
        assertThat(claim(a, 1)).isEqualTo(1);
    }

    @Test
    void marginWidensTheWindow() throws Exception {
        ProviderLane lane = instance("openai", 1, 1, 500);
        assertThat(claim(lane, 1)).isEqualTo(1);
        now.addAndGet(60_000);
        assertThat(claim(lane, 1)).isZero();
        now.addAndGet(500);
        assertThat(claim(lane, 1)).isEqualTo(1);
    }

    @Test
    void burstBoundSpreadsCreatesOfAllInstancesEvenlyOverTheMinute() throws Exception {
        ProviderLane a = instance("openai", 300, 2, 0); // one per 200 ms after two at once
        ProviderLane b = instance("openai", 300, 2, 0);
        assertThat(claim(a, 10)).isEqualTo(2);
        assertThat(claim(b, 10)).as("the burst is the account's, not each instance's").isZero();
        now.addAndGet(199);
        assertThat(claim(b, 10)).isZero();
        now.addAndGet(1);
        assertThat(claim(b, 10)).isEqualTo(1);
        now.addAndGet(1_000); // the allowance refills up to the burst, no further
        assertThat(claim(a, 10) + claim(b, 10)).isEqualTo(2);
        int granted = 3 + 2;
        for (int i = 0; i < 600; i++) {
            now.addAndGet(100);
            granted += claim(i % 2 == 0 ? a : b, 10);
        }
        // 60 s later: never more than the minute's limit, and the rate kept up
        assertThat(granted).isBetween(300, 306);
    }

    @Test
    void instancesClaimingAtOnceTogetherGetNoMoreThanTheAccountAllows() throws Exception {
        List<ProviderLane> instances = List.of(instance("openai", 10, 10, 0), instance("openai", 10, 10, 0),
                instance("openai", 10, 10, 0));
        ExecutorService threads = Executors.newFixedThreadPool(instances.size());
        try {
            for (int minute = 0; minute < 20; minute++) {
                List<Callable<Integer>> claims = new ArrayList<>();
                for (ProviderLane lane : instances) {
                    claims.add(() -> {
                        int got = 0;
                        for (int i = 0; i < 8; i++) {
                            got += claim(lane, 2);
                        }
                        return got;
                    });
                }
                int granted = 0;
                for (Future<Integer> f : threads.invokeAll(claims)) {
                    granted += f.get();
                }
                assertThat(granted).as("minute %d", minute).isEqualTo(10);
                now.addAndGet(60_000);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void twoProvidersKeepSeparateLimits() throws Exception {
        fixture.batch("runway", 10, "runway");
        ProviderLane openai = instance("openai", 1, 1, 0);
        ProviderLane runway = instance("runway", 2, 2, 0);
        assertThat(claim(openai, 5)).isEqualTo(1);
        assertThat(claim(runway, 5)).as("openai's create counts nothing against runway").isEqualTo(2);
        assertThat(claim(openai, 5)).isZero();
        now.addAndGet(60_000);
        runway.rateLimited(now.get() + 30_000, "Rate limit reached");
        assertThat(claim(runway, 5)).isZero();
        assertThat(claim(openai, 5)).as("runway's Retry-After does not hold openai").isEqualTo(1);
    }

    @Test
    void grantsOlderThanTheWindowArePruned() throws Exception {
        ProviderLane lane = instance("openai", 100, 100, 0);
        assertThat(claim(lane, 30)).isEqualTo(30);
        now.addAndGet(30_000);
        assertThat(claim(lane, 5)).isEqualTo(5);
        assertThat(grantRows()).isEqualTo(35);
        now.addAndGet(30_000);
        claim(lane, 1);
        assertThat(grantRows()).as("the first 30 left the window").isEqualTo(6);
    }

    /** One instance's lane for {@code provider}: its own job store on the shared database. */
    private ProviderLane instance(String provider, int perMinute, int burst, long marginMillis) {
        return new ProviderLane(new ProviderRegistry.Entry(provider, null, new ProviderLimits(perMinute, burst, 1_000), ""),
                fixture.instance(clock), marginMillis);
    }

    private static int claim(ProviderLane lane, int room) throws Exception {
        return lane.claim(room, 600_000, "test").size();
    }

    private int grantRows() throws Exception {
        try (Connection c = fixture.dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select count(*) from create_grant")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}

package dev.sorabatch.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import dev.sorabatch.ManualClock;
import dev.sorabatch.StoreFixture;

/** A duty is held by one instance at a time, renewed by its holder, and taken over once its lease runs out. */
@ParameterizedClass
@EnumSource(StoreFixture.Engine.class)
class DutiesTest {

    private static final String DUTY = "list s3://prompts/incoming/";

    @Parameter
    StoreFixture.Engine engine;

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(1_000_000);
    private StoreFixture fixture;
    private Duties duties;

    @BeforeEach
    void open() throws Exception {
        fixture = new StoreFixture(engine, dir, clock);
        duties = fixture.store.duties();
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void theHolderRenewsItsDutyAndOthersWaitUntilItsLeaseRunsOut() throws Exception {
        assertThat(duties.hold(DUTY, "a", 10_000)).isTrue();
        assertThat(duties.hold(DUTY, "b", 10_000)).isFalse();
        clock.millis.addAndGet(8_000);
        assertThat(duties.hold(DUTY, "a", 10_000)).as("renewed before it ran out").isTrue();
        clock.millis.addAndGet(8_000);
        assertThat(duties.hold(DUTY, "b", 10_000)).as("the renewal counts from its own time").isFalse();
        assertThat(duties.holder(DUTY)).contains("a");
        clock.millis.addAndGet(2_001);
        assertThat(duties.hold(DUTY, "b", 10_000)).as("a stopped renewing: b takes over").isTrue();
        assertThat(duties.hold(DUTY, "a", 10_000)).as("a is back, but b holds it now").isFalse();
        assertThat(duties.holder(DUTY)).contains("b");
    }

    @Test
    void aReleasedDutyIsFreeAtOnceAndOnlyItsHolderCanReleaseIt() throws Exception {
        assertThat(duties.hold(DUTY, "a", 60_000)).isTrue();
        duties.release(DUTY, "b");
        assertThat(duties.holder(DUTY)).contains("a");
        duties.release(DUTY, "a");
        assertThat(duties.holder(DUTY)).isEmpty();
        assertThat(duties.hold(DUTY, "b", 60_000)).isTrue();
    }

    @Test
    void dutiesOfOtherInputsAreHeldApart() throws Exception {
        assertThat(duties.hold(DUTY, "a", 60_000)).isTrue();
        assertThat(duties.hold("list file:/shared/inbox", "b", 60_000)).isTrue();
    }

    @Test
    void ofManyInstancesTakingAFreeDutyAtOnceExactlyOneHoldsIt() throws Exception {
        for (int round = 0; round < 20; round++) {
            String duty = DUTY + round;
            List<Callable<Boolean>> instances = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                // each instance has a store of its own over the pool, as separate processes would
                JobStore own = new JobStore(fixture.dataSource, clock);
                String owner = "instance-" + i;
                instances.add(() -> own.duties().hold(duty, owner, 60_000));
            }
            ExecutorService pool = Executors.newFixedThreadPool(instances.size());
            try {
                int holders = 0;
                for (Future<Boolean> f : pool.invokeAll(instances)) {
                    holders += f.get() ? 1 : 0;
                }
                assertThat(holders).as("holders of %s", duty).isEqualTo(1);
            } finally {
                pool.shutdownNow();
            }
        }
    }
}

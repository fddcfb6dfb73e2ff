package dev.sorabatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.apache.camel.pollconsumer.quartz.QuartzScheduledPollConsumerScheduler;
import org.apache.camel.support.ScheduledPollConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sorabatch.ingest.InputSource;

/** sora.input.schedule: a Quartz cron expression decides when the input is polled. */
class ScheduledIngestTest {

    @TempDir
    Path dir;

    @Test
    void theInputIsPolledOnTheCronSchedule() throws Exception {
        try (Pipeline pipeline = Pipeline.start(dir, Map.of("sora.input.schedule", "0/2 * * * * ?"))) {
            ScheduledPollConsumer consumer = (ScheduledPollConsumer) pipeline.camel().getRoute("ingest-input").getConsumer();
            assertThat(consumer.getScheduler()).isInstanceOfSatisfying(QuartzScheduledPollConsumerScheduler.class,
                    quartz -> assertThat(quartz.getCron()).isEqualTo("0/2 * * * * ?"));

            pipeline.drop("nightly.csv", "id,prompt\r\nn1,A night train\r\n");
            assertThat(pipeline.awaitManifest("nightly", Duration.ofSeconds(60)).path("counts").path("stored").asInt())
                    .isEqualTo(1);
        }
    }

    @Test
    void withoutAScheduleTheInputIsPolledAtAFixedDelay() {
        assertThat(new InputSource.Polling(2000, "").options()).isEqualTo("delay=2000&sendEmptyMessageWhenIdle=true");
        assertThat(new InputSource.Polling(2000, " 0 0/5 1-5 * * ? ").options())
                .isEqualTo("scheduler=quartz&scheduler.cron=RAW(0 0/5 1-5 * * ?)&sendEmptyMessageWhenIdle=true");
    }
}

package dev.sorabatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.apache.camel.pollconsumer.quartz.QuartzScheduledPollConsumerScheduler;
import org.apache.camel.support.ScheduledPollConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sora.input.schedule: a Quartz cron expression decides when the input is polled. */
class ScheduledIngestTest {

    @TempDir
    Path dir;

    @Test
    void theInputIsPolledOnTheCronSchedule() throws Exception {
        try (Pipeline pipeline = Pipeline.start(dir, Map.of("sora.input.schedule", "0/2 * * * * ?"))) {
            ScheduledPollConsumer consumer = (ScheduledPollConsumer) pipeline.camel().getRoute("ingest-folder").getConsumer();
            assertThat(consumer.getScheduler()).isInstanceOfSatisfying(QuartzScheduledPollConsumerScheduler.class,
                    quartz -> assertThat(quartz.getCron()).isEqualTo("0/2 * * * * ?"));

            pipeline.drop("nightly.csv", "id,prompt\r\nn1,A night train\r\n");
            assertThat(pipeline.awaitManifest("nightly", Duration.ofSeconds(60)).path("counts").path("stored").asInt())
                    .isEqualTo(1);
        }
    }

    @Test
    void withoutAScheduleTheInputIsPolledAtAFixedDelay() throws Exception {
        try (Pipeline pipeline = Pipeline.start(dir, Map.of("sora.input.poll-interval", "2s"))) {
            ScheduledPollConsumer consumer = (ScheduledPollConsumer) pipeline.camel().getRoute("ingest-folder").getConsumer();
            assertThat(consumer.getScheduler()).isNotInstanceOf(QuartzScheduledPollConsumerScheduler.class);
            assertThat(consumer.getDelay()).isEqualTo(2000);
            assertThat(consumer.isSendEmptyMessageWhenIdle()).isTrue();
        }
    }
}

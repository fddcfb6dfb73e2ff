package dev.sorabatch.ingest;

import org.apache.camel.Exchange;

/**
 * One kind of input ({@code sora.input}): the Camel endpoint the {@code ingest-input} route consumes, and what to
 * do with each exchange it delivers. An exchange with no body is an empty poll: the source is drained for now.
 */
public interface InputSource {

    String endpointUri();

    void ingest(Exchange exchange) throws Exception;

    /**
     * Polling options shared by every source: a fixed delay, or a Quartz cron expression that limits when the
     * source is polled; empty polls are delivered so that once mode can tell when the input is drained.
     */
    record Polling(long delayMillis, String cron) {

        public String options() {
            String when = cron == null || cron.isBlank() ? "delay=" + delayMillis
                    : "scheduler=quartz&scheduler.cron=RAW(" + cron.trim() + ")";
            return when + "&sendEmptyMessageWhenIdle=true";
        }
    }
}

package dev.sorabatch.ingest;

import org.apache.camel.Exchange;

/**
 * One kind of input ({@code sora.input}): what to do with each exchange its route ({@code routes/ingest-*.yaml})
 * delivers. An exchange with no body is an empty poll: the source is drained for now.
 */
public interface InputSource {

    void ingest(Exchange exchange) throws Exception;
}

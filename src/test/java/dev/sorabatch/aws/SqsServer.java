package dev.sorabatch.aws;

import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;

/**
 * An SQS server in this JVM for tests: ElasticMQ on a free loopback port, queues in memory. It speaks both the
 * query and the JSON protocol (the SDK uses JSON). Requests are not authenticated (see {@link TestAws}).
 */
public final class SqsServer implements AutoCloseable {

    private SQSRestServer server;
    private int port;

    public SqsServer start() {
        TestAws.useTestCredentials();
        server = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort().withAWSRegion(TestAws.REGION).start();
        try {
            port = server.waitUntilStarted().localAddress().getPort();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        return this;
    }

    /** E.g. {@code http://127.0.0.1:41235}. */
    public String endpoint() {
        if (server == null) {
            throw new IllegalStateException("not started");
        }
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        if (server != null) {
            server.stopAndWait();
            server = null;
        }
    }
}

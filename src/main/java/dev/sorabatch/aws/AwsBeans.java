package dev.sorabatch.aws;

import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * The S3 and SQS clients, built on first use (a folder-to-folder run never loads the SDK) and bound as
 * {@code s3Client} / {@code sqsClient} for the Camel components; closed with the context.
 */
public final class AwsBeans {

    private final CamelContext camel;
    private final AwsClients clients;
    private S3Client s3;
    private SqsClient sqs;

    public AwsBeans(CamelContext camel, AwsClients clients) {
        this.camel = camel;
        this.clients = clients;
    }

    public synchronized S3Client s3() {
        if (s3 == null) {
            s3 = clients.s3();
            bind("s3Client", s3);
        }
        return s3;
    }

    public synchronized SqsClient sqs() {
        if (sqs == null) {
            sqs = clients.sqs();
            bind("sqsClient", sqs);
        }
        return sqs;
    }

    private void bind(String name, SdkAutoCloseable client) {
        camel.getRegistry().bind(name, client);
        try {
            camel.addService(new ServiceSupport() {
                @Override
                protected void doStop() {
                    client.close();
                }
            });
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

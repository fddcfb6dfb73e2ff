package dev.sorabatch.aws;

/**
 * The one place the tests prepare the AWS SDK for the in-process servers, so every test does it the same way.
 * {@link AwsClients} uses the SDK's default credential chain; the servers do not check signatures, so any key will
 * do, but the chain must find one: system properties come first in it, and are set here unless already set.
 */
public final class TestAws {

    public static final String REGION = "us-east-1";

    private TestAws() {
    }

    /** Idempotent: keeps credentials that a developer or CI has already put in the system properties. */
    public static synchronized void useTestCredentials() {
        if (System.getProperty("aws.accessKeyId") == null) {
            System.setProperty("aws.accessKeyId", "sora-test");
        }
        if (System.getProperty("aws.secretAccessKey") == null) {
            System.setProperty("aws.secretAccessKey", "sora-test-secret");
        }
    }

    /** Clients as the application builds them, pointed at the given servers (either may be null). */
    public static AwsClients clients(S3Server s3, SqsServer sqs) {
        useTestCredentials();
        return new AwsClients(REGION, s3 == null ? "" : s3.endpoint(), sqs == null ? "" : sqs.endpoint(), true);
    }
}

package dev.sorabatch.aws;

import java.net.URI;

import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;

import dev.sorabatch.settings.Settings;

/**
 * S3 and SQS clients from the {@code sora.aws.*} settings, shared by the Camel aws2 components and the pipeline's
 * own calls. Credentials come from the AWS default chain (environment, system properties, profile, container or
 * instance role), so no secret passes through the settings or the logs.
 *
 * @param region   AWS region, e.g. us-east-1
 * @param s3Endpoint  endpoint override for S3-compatible stores and emulators; empty = AWS
 * @param sqsEndpoint endpoint override for SQS; empty = AWS
 * @param pathStyle   path-style bucket addressing (most S3-compatible stores and emulators need it)
 */
public record AwsClients(String region, String s3Endpoint, String sqsEndpoint, boolean pathStyle) {

    /** The {@code sora.aws.*} settings: this record is the settings of the AWS area. */
    public static AwsClients from(Settings s) {
        return new AwsClients(s.text("sora.aws.region"), s.text("sora.aws.s3.endpoint", ""),
                s.text("sora.aws.sqs.endpoint", ""), s.flag("sora.aws.s3.path-style"));
    }

    public S3Client s3() {
        return s3Builder(region).build();
    }

    /**
     * A client of the same store for buckets of another region (Bedrock writes only to a bucket in its own region);
     * against AWS it follows a bucket of yet another region, such as the output's for a server-side copy.
     */
    public S3Client s3(String bucketRegion) {
        return s3Builder(bucketRegion).crossRegionAccessEnabled(s3Endpoint.isBlank()).build();
    }

    private S3ClientBuilder s3Builder(String clientRegion) {
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(clientRegion))
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .forcePathStyle(pathStyle)
                // SDK 2.30+ adds CRC checksums to every upload; several S3-compatible servers refuse them
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        if (!s3Endpoint.isBlank()) {
            builder.endpointOverride(URI.create(s3Endpoint));
        }
        return builder;
    }

    /** Signs GET links to objects (the review gallery's, for a private bucket); close it when done. */
    public S3Presigner presigner() {
        S3Presigner.Builder builder = S3Presigner.builder()
                .region(Region.of(region))
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(pathStyle).build());
        if (!s3Endpoint.isBlank()) {
            builder.endpointOverride(URI.create(s3Endpoint));
        }
        return builder.build();
    }

    public SqsClient sqs() {
        SqsClientBuilder builder = SqsClient.builder()
                .region(Region.of(region))
                .credentialsProvider(DefaultCredentialsProvider.builder().build());
        if (!sqsEndpoint.isBlank()) {
            builder.endpointOverride(URI.create(sqsEndpoint));
        }
        return builder.build();
    }
}

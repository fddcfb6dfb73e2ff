package dev.sorabatch.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;

import dev.sorabatch.aws.S3Server;
import dev.sorabatch.aws.TestAws;
import dev.sorabatch.catalog.ModelSpec;
import dev.sorabatch.provider.ProviderException.Kind;
import dev.sorabatch.provider.bedrock.BedrockSettings;
import dev.sorabatch.provider.bedrock.BedrockVideoProvider;
import dev.sorabatch.settings.SettingException;
import dev.sorabatch.settings.Settings;
import dev.sorabatch.simulator.Asset;
import dev.sorabatch.simulator.SimulatorApi;

/**
 * Bedrock's face writes each video into an in-process S3 server (S3Proxy), as Bedrock writes into the caller's
 * bucket; the adapter reads it from there. Credentials are an access key id the face checks in the SigV4 header.
 */
class BedrockContractTest extends ProviderContract {

    private static final String BUCKET = ContractFace.BEDROCK_BUCKET;
    private S3Server s3Server;
    private S3Client s3;

    @BeforeAll
    void startS3() throws Exception {
        s3Server = S3Server.inMemory().start();
        s3 = TestAws.clients(s3Server, null).s3();
        s3.createBucket(b -> b.bucket(BUCKET));
        s3.createBucket(b -> b.bucket("batch-out"));
    }

    @AfterAll
    void stopS3() {
        s3.close();
        s3Server.close();
    }

    @BeforeEach
    void writeToS3() {
        server.settings().s3Endpoint(s3Server.endpoint());
    }

    @Override
    SimulatorApi api() {
        return SimulatorApi.BEDROCK;
    }

    @Override
    String catalogName() {
        return "bedrock";
    }

    @Override
    Map<String, String> settings(String baseUrl, String key) {
        return ContractFace.BEDROCK.settings(baseUrl, key);
    }

    @Override
    VideoProvider adapter(CamelContext camel, Settings settings) {
        return bedrock(settings, KEY);
    }

    /** The key is the access key id of the credentials the SDK signs with (the default chain in the pipeline). */
    @Override
    VideoProvider adapter(String key) {
        return bedrock(settingsOf(settings(server.baseUrl(api()), key)), key);
    }

    private BedrockVideoProvider bedrock(Settings settings, String accessKeyId) {
        return new BedrockVideoProvider(BedrockSettings.from(settings), CATALOG,
                StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, "secret")), s3);
    }

    /** There is no key setting: credentials are the AWS chain's; see {@link #theKeyComesFromTheVendorsVariable}. */
    @Override
    String keySetting() {
        return "sora.bedrock.output-uri";
    }

    @Override
    String keyVariable() {
        return "s3://bucket/prefix";
    }

    @Override
    boolean refusesOverInFlightLimit() {
        return true;
    }

    @Override
    String failedJobCode() {
        return "invocation_failed";
    }

    @Override
    String moderationCode() {
        return "content_filtered";
    }

    /** Credentials are the AWS default chain's; what must be named is where Bedrock writes the videos. */
    @Override
    @Test
    void theKeyComesFromTheVendorsVariable() {
        Map<String, String> values = new HashMap<>(settings(server.baseUrl(api()), KEY));
        values.remove("sora.bedrock.output-uri");
        assertThatThrownBy(() -> adapter(null, settingsOf(values))).isInstanceOf(SettingException.class)
                .hasMessageContaining("sora.bedrock.output-uri").hasMessageContaining("s3://bucket/prefix");
        values.put("sora.bedrock.output-uri", "https://" + BUCKET + "/videos");
        assertThatThrownBy(() -> adapter(null, settingsOf(values))).isInstanceOf(SettingException.class)
                .hasMessageContaining("must be s3://bucket/prefix");
    }

    /** Over its quota of concurrent invocations Bedrock refuses with a 400 that made nothing, not a 429. */
    @Override
    @Test
    void overTheInFlightLimitAJobIsRefusedOrQueuedAsTheProviderDoes() throws Exception {
        server.settings().maxInFlight(1).generationTime(Duration.ofMillis(400), Duration.ofMillis(400));
        provider.submit(request("holds the slot"), "key-a");
        ProviderException e = catchThrowableOfType(() -> provider.submit(request("waits"), "key-b"),
                ProviderException.class);
        assertThat(e.kind()).isEqualTo(Kind.RETRYABLE);
        assertThat(e.code()).isEqualTo("ServiceQuotaExceededException");
        assertThat(server.stats().jobsCreated()).isEqualTo(1);
    }

    @Test
    void anAmbiguousCreateSentAgainWithItsTokenMakesOneJob() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        server.settings().lostResponseShare(1);
        ProviderException lost = catchThrowableOfType(() -> provider.submit(request("sent twice"), "item-key-1"),
                ProviderException.class);
        assertThat(lost.kind()).isEqualTo(Kind.OUTCOME_UNKNOWN);
        server.settings().lostResponseShare(0);

        BedrockVideoProvider bedrock = (BedrockVideoProvider) provider;
        VideoJob found = bedrock.findByToken("item-key-1", before).orElseThrow();
        assertThat(bedrock.findByToken("another-key", before)).isEmpty();
        VideoJob again = provider.submit(request("sent twice"), "item-key-1");
        assertThat(again.id()).isEqualTo(found.id());
        assertThat(server.stats().jobsCreated("sent twice")).isEqualTo(1);
        assertThat(server.stats().replayedCreates()).isEqualTo(1);
        assertThat(finished(again).status()).isEqualTo(JobStatus.COMPLETED);
    }

    @Test
    void theVideoCopiedFromTheProvidersBucketIsWhatTheSimulatorWrote() throws Exception {
        VideoJob done = finished(provider.submit(request("copied server-side"), "item-key-2"));
        BedrockVideoProvider bedrock = (BedrockVideoProvider) provider;
        String id = done.id().substring(done.id().lastIndexOf('/') + 1);
        assertThat(bedrock.outputUri(done.ref())).isEqualTo("s3://" + BUCKET + "/videos/item-key-2/" + id + "/output.mp4");

        assertThat(bedrock.copyTo(done.ref(), "batch-out", "batch/videos/a.mp4")).isTrue();
        assertThat(sha256(s3.getObject(b -> b.bucket("batch-out").key("batch/videos/a.mp4"))))
                .isEqualTo(server.sha256(Asset.VIDEO));
        bedrock.release(done.ref()); // delete-after-fetch=false: left where Bedrock wrote it
        assertThat(s3.listObjectsV2(b -> b.bucket(BUCKET).prefix("videos/item-key-2/")).keyCount()).isEqualTo(1);
    }

    @Test
    void withDeleteAfterFetchTheProvidersObjectsAreRemovedOnceStored() throws Exception {
        Map<String, String> values = new HashMap<>(settings(server.baseUrl(api()), KEY));
        values.put("sora.bedrock.delete-after-fetch", "true");
        BedrockVideoProvider bedrock = bedrock(settingsOf(values), KEY);
        provider = bedrock;
        VideoJob done = finished(bedrock.submit(request("cleaned up"), "item-key-3"));
        assertThat(downloadSha(done, Variant.VIDEO)).isEqualTo(server.sha256(Asset.VIDEO));
        bedrock.release(done.ref());
        assertThat(s3.listObjectsV2(b -> b.bucket(BUCKET).prefix("videos/item-key-3/")).keyCount()).isZero();
    }

    @Test
    void novaReelMakesLongerVideosAsMultiShot() throws Exception {
        ModelSpec nova = CATALOG.model("bedrock", "amazon.nova-reel-v1:1").orElseThrow();
        VideoJob done = finished(provider.submit(new VideoRequest("a long walk on the beach", nova.id(), 12,
                nova.defaultFrame(), false, null, null), "item-key-4"));
        assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(downloadSha(done, Variant.VIDEO)).isEqualTo(server.sha256(Asset.VIDEO));
    }
}

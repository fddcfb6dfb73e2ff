package dev.sorabatch.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;

import dev.sorabatch.provider.ProviderException.Kind;
import dev.sorabatch.provider.vertex.VertexSettings;
import dev.sorabatch.provider.vertex.VertexVideoProvider;
import dev.sorabatch.settings.SettingException;
import dev.sorabatch.settings.Settings;
import dev.sorabatch.simulator.Asset;
import dev.sorabatch.simulator.SimulatorApi;

/**
 * The credentials are an {@code authorized_user} file, as {@code gcloud auth application-default login} writes,
 * whose {@code token_uri} points at the face's token endpoint; its refresh token is the key. Cloud Storage is the
 * face's too ({@code sora.vertex.storage-url}).
 */
class VertexContractTest extends ProviderContract {

    private CamelContext camel;

    @Override
    SimulatorApi api() {
        return SimulatorApi.VERTEX;
    }

    @Override
    String catalogName() {
        return "vertex";
    }

    @Override
    Map<String, String> settings(String baseUrl, String key) {
        return ContractFace.VERTEX.settings(baseUrl, key);
    }

    @Override
    VideoProvider adapter(CamelContext camel, Settings settings) {
        this.camel = camel;
        return new VertexVideoProvider(camel, VertexSettings.from(settings), CATALOG);
    }

    @Override
    String keySetting() {
        return "sora.vertex.credentials-file";
    }

    @Override
    String keyVariable() {
        return "GOOGLE_APPLICATION_CREDENTIALS";
    }

    @Override
    boolean refusesOverInFlightLimit() {
        return true;
    }

    @Override
    String failedJobCode() {
        return "INTERNAL";
    }

    @Override
    String moderationCode() {
        return "content_filtered";
    }

    /**
     * Without the setting the library's own search runs (GOOGLE_APPLICATION_CREDENTIALS, gcloud's file, the
     * metadata server), which depends on the machine; a file named here that is missing is refused at start.
     */
    @Override
    @Test
    void theKeyComesFromTheVendorsVariable() {
        Map<String, String> values = new HashMap<>(settings(server.baseUrl(api()), KEY));
        values.put(keySetting(), Path.of(System.getProperty("java.io.tmpdir"), "no-such-credentials.json").toString());
        assertThatThrownBy(() -> adapter(camel, settingsOf(values))).isInstanceOf(SettingException.class)
                .hasMessageContaining(keySetting()).hasMessageContaining(keyVariable());
    }

    /**
     * A drop at the token endpoint leaves the create unsent (retryable, as it should); the contract's case is a drop
     * of the create itself, so the token is fetched first, as it is once an hour in a run.
     */
    @Override
    @Test
    void aDroppedConnectionLeavesTheCreateAmbiguous() {
        try {
            provider.verifyAccess();
        } catch (ProviderException e) {
            throw new AssertionError(e);
        }
        super.aDroppedConnectionLeavesTheCreateAmbiguous();
    }

    @Test
    void aDropAtTheTokenEndpointLeavesTheCreateUnsent() {
        server.settings().dropShare(1);
        ProviderException e = catchThrowableOfType(() -> provider.submit(request("no token"), "key-t"),
                ProviderException.class);
        assertThat(e.kind()).isEqualTo(Kind.RETRYABLE);
        assertThat(e.code()).isEqualTo("not_sent");
        assertThat(server.stats().createRequests()).isZero();
    }

    @Test
    void aFilteredResultIsAFailedJobWithTheReasons() throws Exception {
        VideoJob done = finished(provider.submit(request("a scene with the forbidden-word in it"), "item-f"));
        assertThat(done.status()).isEqualTo(JobStatus.FAILED);
        assertThat(done.error().code()).isEqualTo("content_filtered");
        assertThat(done.error().message()).contains("removed 1 video").contains("Support code: 58061214");
        assertThat(catchThrowableOfType(() -> downloadSha(done, Variant.VIDEO), ProviderException.class).kind())
                .isEqualTo(Kind.NOT_FOUND);
    }

    @Test
    void theVideoIsReadFromTheItemsFolderInTheBucketAndReleasedBySetting() throws Exception {
        Map<String, String> values = new HashMap<>(settings(server.baseUrl(api()), KEY));
        values.put("sora.vertex.delete-after-fetch", "true");
        VertexVideoProvider vertex = (VertexVideoProvider) adapter(camel, settingsOf(values));
        provider = vertex;
        assertThat(vertex.can(Capability.WRITES_TO_BUCKET)).isTrue();
        VideoJob done = finished(vertex.submit(request("into the bucket"), "item-key-9"));
        String id = done.id().substring(done.id().lastIndexOf('/') + 1);
        assertThat(vertex.outputUri(done.ref())).isEqualTo("gs://veo-out/videos/item-key-9/" + id + "/sample_0.mp4");
        assertThat(downloadSha(done, Variant.VIDEO)).isEqualTo(server.sha256(Asset.VIDEO));
        assertThat(vertex.copyTo(done.ref(), "batch-out", "a.mp4")).as("Cloud Storage is not the output store").isFalse();

        vertex.release(done.ref());
        assertThat(catchThrowableOfType(() -> downloadSha(done, Variant.VIDEO), ProviderException.class).kind())
                .isEqualTo(Kind.NOT_FOUND);
        vertex.release(done.ref()); // already gone: fine
    }

    @Test
    void withoutAnOutputUriTheVideoComesInlineAndIsDecodedWhileItStreams() throws Exception {
        server.settings().largeVideoBytes(3 * 1024 * 1024);
        Map<String, String> values = new HashMap<>(settings(server.baseUrl(api()), KEY));
        values.put("sora.vertex.output-uri", "");
        provider = adapter(camel, settingsOf(values));
        assertThat(provider.can(Capability.WRITES_TO_BUCKET)).isFalse();
        VideoJob done = finished(provider.submit(request("inline bytes"), "item-inline"));
        assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
        long[] length = new long[1];
        String sha = provider.download(done.ref(), Variant.VIDEO, content -> {
            length[0] = content.length();
            return sha256(content.body());
        });
        assertThat(sha).isEqualTo(server.sha256(Asset.VIDEO));
        assertThat(length[0]).isEqualTo(3 * 1024 * 1024);
    }
}

package dev.sorabatch.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Pixazo's unsigned callbacks: a hint naming the job as the generate did; the same body twice is one delivery. */
class PixazoHintTest {

    @Test
    void namesTheJobEitherWayTheGatewayWritesItAndKeysTheDeliveryByItsBody() throws Refused {
        PixazoHint hint = new PixazoHint(300_000);
        byte[] common = "{\"request_id\":\"veo-3.1_abc\",\"status\":\"COMPLETED\"}".getBytes(StandardCharsets.UTF_8);
        byte[] legacy = "{\"video_id\":\"video_abc\",\"status\":\"completed\"}".getBytes(StandardCharsets.UTF_8);
        Delivery first = hint.check(Map.<String, String>of()::get, common, 1_000);
        assertThat(first.jobId()).isEqualTo("veo-3.1_abc");
        assertThat(first.validUntil()).isEqualTo(301_000);
        assertThat(hint.check(Map.<String, String>of()::get, common, 2_000).key()).isEqualTo(first.key());
        assertThat(hint.check(Map.<String, String>of()::get, legacy, 1_000).jobId()).isEqualTo("video_abc");
        assertThat(hint.check(Map.<String, String>of()::get, legacy, 1_000).key()).isNotEqualTo(first.key());
    }

    @Test
    void aBodyWithoutAJobIsRefused() {
        StandardWebhooksTest.assertRefused(new PixazoHint(300_000), Map.of(),
                "{\"status\":\"COMPLETED\"}".getBytes(StandardCharsets.UTF_8), 1_000, Outcome.MALFORMED);
        StandardWebhooksTest.assertRefused(new PixazoHint(300_000), Map.of(),
                "not json".getBytes(StandardCharsets.UTF_8), 1_000, Outcome.MALFORMED);
    }
}

package dev.sorabatch.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * fal's Ed25519 signatures: the raw JWKS key read against RFC 8032's test vectors (section 7.1, TESTs 1 and 2), the
 * signed message's layout, and the check of a delivery against keys served as JWKS over loopback.
 */
class FalSignaturesTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final long TOLERANCE = 300_000;

    private HttpServer jwks;

    @AfterEach
    void stop() {
        if (jwks != null) {
            jwks.stop(0);
        }
    }

    @Test
    void readsRawJwksKeysAndVerifiesTheRfc8032Vectors() {
        PublicKey one = FalSignatures.publicKey(x("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"));
        String sigOne = "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065"
                + "224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";
        assertThat(FalSignatures.verifies(List.of(one), new byte[0], sigOne)).isTrue();
        PublicKey two = FalSignatures.publicKey(x("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c"));
        String sigTwo = "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
                + "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00";
        assertThat(FalSignatures.verifies(List.of(one, two), HEX.parseHex("72"), sigTwo)).as("any key of the set")
                .isTrue();
        assertThat(FalSignatures.verifies(List.of(one), HEX.parseHex("72"), sigTwo)).isFalse();
        assertThat(FalSignatures.verifies(List.of(two), HEX.parseHex("73"), sigTwo)).isFalse();
        assertThat(FalSignatures.verifies(List.of(two), HEX.parseHex("72"), "zz")).isFalse();
        assertThat(FalSignatures.x(two)).isEqualTo(x("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c"));
        assertThatThrownBy(() -> FalSignatures.publicKey(x("d75a98"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theSignedMessageIsTheThreeHeadersAndTheBodysHexSha256OnLines() {
        assertThat(new String(FalSignatures.message("req-1", "user-2", "1700000000", new byte[0]), StandardCharsets.UTF_8))
                .isEqualTo("req-1\nuser-2\n1700000000\n"
                        + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @Test
    void aDeliverySignedWithAPublishedKeyPassesAndAnyOtherIsRefused() throws Exception {
        KeyPair fal = Ed25519();
        KeyPair stranger = Ed25519();
        AtomicInteger reads = new AtomicInteger();
        FalCheck check = new FalCheck(new FalKeys(serve(fal.getPublic(), reads), Clock.systemUTC()), TOLERANCE);
        byte[] body = "{\"request_id\":\"req-1\",\"status\":\"OK\"}".getBytes(StandardCharsets.UTF_8);
        long now = System.currentTimeMillis();
        String ts = Long.toString(now / 1000);

        Delivery delivery = check.check(headers(fal, "req-1", ts, body)::get, body, now);
        assertThat(delivery.jobId()).isEqualTo("req-1");
        assertThat(delivery.key()).isEqualTo("req-1@" + ts);
        assertThat(delivery.validUntil()).isEqualTo(now / 1000 * 1000 + TOLERANCE);

        StandardWebhooksTest.assertRefused(check, headers(stranger, "req-1", ts, body), body, now,
                Outcome.BAD_SIGNATURE);
        Map<String, String> otherJob = headers(fal, "req-1", ts, body);
        otherJob.put("X-Fal-Webhook-Request-Id", "req-2");
        StandardWebhooksTest.assertRefused(check, otherJob, body, now, Outcome.BAD_SIGNATURE);
        byte[] other = "{\"request_id\":\"req-1\",\"status\":\"ERROR\"}".getBytes(StandardCharsets.UTF_8);
        StandardWebhooksTest.assertRefused(check, headers(fal, "req-1", ts, body), other, now, Outcome.BAD_SIGNATURE);
        String old = Long.toString(now / 1000 - 3600);
        StandardWebhooksTest.assertRefused(check, headers(fal, "req-1", old, body), body, now, Outcome.STALE);
        Map<String, String> unsigned = headers(fal, "req-1", ts, body);
        unsigned.remove("X-Fal-Webhook-Signature");
        StandardWebhooksTest.assertRefused(check, unsigned, body, now, Outcome.UNSIGNED);
        assertThat(reads.get()).as("the keys were read once and kept; forged signatures read them no more often than "
                + "once a minute").isEqualTo(1);
    }

    @Test
    void keysThatCannotBeReadAreAnAnswerToTryAgain() throws Exception {
        KeyPair fal = Ed25519();
        FalCheck check = new FalCheck(new FalKeys(URI.create("http://127.0.0.1:9/.well-known/jwks.json"),
                Clock.systemUTC()), TOLERANCE);
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        long now = System.currentTimeMillis();
        StandardWebhooksTest.assertRefused(check, headers(fal, "req-1", Long.toString(now / 1000), body), body, now,
                Outcome.KEYS_UNAVAILABLE);
        long before = System.nanoTime();
        StandardWebhooksTest.assertRefused(check, headers(fal, "req-1", Long.toString(now / 1000), body), body, now,
                Outcome.KEYS_UNAVAILABLE);
        assertThat(Duration.ofNanos(System.nanoTime() - before)).as("answered without trying again within the minute")
                .isLessThan(Duration.ofMillis(50));
    }

    private URI serve(PublicKey key, AtomicInteger reads) throws IOException {
        jwks = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        jwks.createContext("/.well-known/jwks.json", exchange -> {
            reads.incrementAndGet();
            byte[] json = ("{\"keys\":[{\"kty\":\"RSA\",\"n\":\"x\"},{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\""
                    + FalSignatures.x(key) + "\"}]}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, json.length);
            exchange.getResponseBody().write(json);
            exchange.close();
        });
        jwks.start();
        return URI.create("http://127.0.0.1:" + jwks.getAddress().getPort() + "/.well-known/jwks.json");
    }

    private static Map<String, String> headers(KeyPair key, String requestId, String ts, byte[] body)
            throws GeneralSecurityException {
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(key.getPrivate());
        signer.update(FalSignatures.message(requestId, "user-1", ts, body));
        Map<String, String> headers = new HashMap<>();
        headers.put("X-Fal-Webhook-Request-Id", requestId);
        headers.put("X-Fal-Webhook-User-Id", "user-1");
        headers.put("X-Fal-Webhook-Timestamp", ts);
        headers.put("X-Fal-Webhook-Signature", HEX.formatHex(signer.sign()));
        return headers;
    }

    private static KeyPair Ed25519() throws GeneralSecurityException {
        return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    }

    private static String x(String hex) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(HEX.parseHex(hex));
    }
}

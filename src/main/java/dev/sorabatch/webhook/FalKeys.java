package dev.sorabatch.webhook;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * fal's signing keys, read from its JWKS ({@code sora.webhooks.fal-jwks-url}) and kept for a day, as fal's docs
 * advise. A signature no cached key verifies makes one fresh read (fal may have rotated its keys), but never more
 * than one a minute: forged callbacks cannot turn into a flood of reads. A failed read is not tried again for a
 * minute either; meanwhile callbacks are answered at once as unverifiable (fal retries them).
 */
final class FalKeys {

    static final Duration KEEP = Duration.ofHours(24);
    private static final Duration REREAD_AFTER = Duration.ofMinutes(1);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final URI url;
    private final Clock clock;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private List<PublicKey> keys = List.of();
    private long readAt = Long.MIN_VALUE;
    private long failedAt = Long.MIN_VALUE;
    private String failure;

    FalKeys(URI url, Clock clock) {
        this.url = url;
        this.clock = clock;
    }

    /** Whether any of fal's keys made {@code signatureHex} over {@code message}. */
    boolean verify(byte[] message, String signatureHex) throws IOException {
        List<PublicKey> cached = current(false);
        if (FalSignatures.verifies(cached, message, signatureHex)) {
            return true;
        }
        List<PublicKey> fresh = current(true);
        return fresh != cached && FalSignatures.verifies(fresh, message, signatureHex);
    }

    private synchronized List<PublicKey> current(boolean reread) throws IOException {
        long now = clock.millis();
        long age = readAt == Long.MIN_VALUE ? Long.MAX_VALUE : now - readAt;
        if (age > KEEP.toMillis() || reread && age > REREAD_AFTER.toMillis()) {
            if (failedAt != Long.MIN_VALUE && now - failedAt < REREAD_AFTER.toMillis()) {
                if (keys.isEmpty()) {
                    throw new IOException(failure);
                }
                return keys;
            }
            try {
                keys = read();
                readAt = now;
                failedAt = Long.MIN_VALUE;
            } catch (IOException e) {
                failedAt = now;
                failure = e.getMessage();
                throw e;
            }
        }
        return keys;
    }

    private List<PublicKey> read() throws IOException {
        HttpResponse<byte[]> response;
        try {
            response = client.send(HttpRequest.newBuilder(url).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading " + url);
        }
        if (response.statusCode() != 200) {
            throw new IOException(url + " answered HTTP " + response.statusCode());
        }
        List<PublicKey> read = new ArrayList<>();
        for (JsonNode jwk : CallbackCheck.JSON.readTree(response.body()).path("keys")) {
            if ("OKP".equals(jwk.path("kty").asText()) && "Ed25519".equals(jwk.path("crv").asText())) {
                try {
                    read.add(FalSignatures.publicKey(jwk.path("x").asText()));
                } catch (IllegalArgumentException e) {
                    // a key this JDK cannot read verifies nothing; the others still count
                }
            }
        }
        if (read.isEmpty()) {
            throw new IOException(url + " lists no Ed25519 key");
        }
        return List.copyOf(read);
    }
}

package dev.sorabatch.reference;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.util.function.Predicate;

import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches one image over HTTP for {@link InputReferences}, once {@link ReferencePolicy} has allowed its URL.
 * <ul>
 * <li>Names resolve through {@link PublicAddresses}, and the connection goes to exactly the addresses it checked.</li>
 * <li>Redirects are not followed: a 3xx fails like any other answer but 200. Following one would need the host
 *     allow-list and the address check again on every hop; an image host serves the image at its own URL, and a
 *     listed host that sends elsewhere could send anywhere.</li>
 * <li>No proxy, cookies, or retries inside the client; at most {@link ReferencePolicy#maxBytes()} are read and the
 *     whole fetch ends after {@link #DEADLINE_MILLIS}, however slowly the bytes arrive.</li>
 * <li>Every failure to fetch (name unknown or not public, refused, TLS, timeout, any status but 200) is the same
 *     {@link #FAILURE} to the file's author, so references cannot be used to map the network; the cause is logged
 *     at DEBUG.</li>
 * </ul>
 */
final class UrlFetcher {

    static final String FAILURE = "input_reference could not be fetched";

    private static final Logger LOG = LoggerFactory.getLogger(UrlFetcher.class);
    private static final Timeout CONNECT_TIMEOUT = Timeout.ofSeconds(10);
    private static final Timeout READ_TIMEOUT = Timeout.ofSeconds(20);
    private static final long DEADLINE_MILLIS = 60_000;

    private final Predicate<InetAddress> allowedAddress;

    UrlFetcher() {
        this(PublicAddresses::isPublic);
    }

    /** @param allowedAddress addresses that may be connected to; only tests of the fetch itself widen it */
    UrlFetcher(Predicate<InetAddress> allowedAddress) {
        this.allowedAddress = allowedAddress;
    }

    /** @throws InputReferences.Unusable when the image is over the cap; an IOException saying {@link #FAILURE} else */
    byte[] fetch(URI uri, ReferencePolicy policy) throws IOException {
        // a client per fetch: they are rare, and nothing (connections, DNS answers) outlives the one checked fetch
        try (CloseableHttpClient client = client()) {
            return client.execute(new HttpGet(uri), response -> {
                if (response.getCode() != 200) {
                    throw new IOException("HTTP " + response.getCode());
                }
                HttpEntity entity = response.getEntity();
                if (entity == null) {
                    throw new IOException("no body");
                }
                if (entity.getContentLength() > policy.maxBytes()) {
                    throw new InputReferences.Unusable(policy.tooLarge("the image"));
                }
                try (InputStream in = entity.getContent()) {
                    return read(in, policy);
                }
            });
        } catch (InputReferences.Unusable e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            LOG.debug("input_reference {}://{}{} could not be fetched: {}", uri.getScheme(), uri.getRawAuthority(),
                    uri.getRawPath(), e.toString());
            throw new IOException(FAILURE);
        }
    }

    private static byte[] read(InputStream in, ReferencePolicy policy) throws IOException {
        long deadline = System.currentTimeMillis() + DEADLINE_MILLIS;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        for (int n; (n = in.read(buffer)) != -1; ) {
            if (out.size() + n > policy.maxBytes()) {
                throw new InputReferences.Unusable(policy.tooLarge("the image"));
            }
            out.write(buffer, 0, n);
            if (System.currentTimeMillis() > deadline) {
                throw new IOException("not complete after " + DEADLINE_MILLIS + " ms");
            }
        }
        return out.toByteArray();
    }

    private CloseableHttpClient client() {
        return HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(new PublicAddresses(allowedAddress))
                        .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(CONNECT_TIMEOUT)
                                .setSocketTimeout(READ_TIMEOUT).build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom().setRedirectsEnabled(false)
                        .setResponseTimeout(READ_TIMEOUT).build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .build();
    }
}

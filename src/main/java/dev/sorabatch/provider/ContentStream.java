package dev.sorabatch.provider;

import java.io.InputStream;

/** An open download, streamed from the provider; valid only inside a {@link VideoProvider.ContentHandler}. */
public record ContentStream(InputStream body, String contentType, long length) {
}

package dev.sorabatch.provider;

/**
 * A provider's machine-readable code and human-readable message (OpenAI error envelope), with any secret the
 * provider echoed {@linkplain Redactor redacted}: this is where provider text enters the pipeline, on its way to
 * logs, the store and manifests.
 */
public record ProviderError(String code, String message) {

    public ProviderError {
        code = Redactor.redact(code);
        message = Redactor.redact(message);
    }
}

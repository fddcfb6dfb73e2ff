package dev.sorabatch.provider;

/** A provider's machine-readable code and human-readable message (OpenAI error envelope). */
public record ProviderError(String code, String message) {
}

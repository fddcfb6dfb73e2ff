package dev.sorabatch.provider;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactorTest {

    @Test
    void configuredKeysAndCredentialLookingTokensAreRemoved() {
        Redactor.addSecret("Zq7-configured-key-0042");
        assertThat(Redactor.redact("Incorrect API key provided: Zq7-configured-key-0042."))
                .isEqualTo("Incorrect API key provided: [redacted].");
        assertThat(Redactor.redact("header was Authorization: Bearer abc.DEF-123_xyz"))
                .isEqualTo("header was Authorization: Bearer [redacted]");
        assertThat(Redactor.redact("key sk-proj-AbCdEf0123456789_xyz is wrong")).isEqualTo("key [redacted] is wrong");
        assertThat(Redactor.redact("as AKIAIOSFODNN7EXAMPLE")).isEqualTo("as [redacted]");
        assertThat(Redactor.redact("{\"api_key\": \"hunter2hunter2\"} and password=letmein1"))
                .isEqualTo("{\"api_key\": \"[redacted]\"} and password=[redacted]");
        assertThat(Redactor.redact("token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig-nature_1"))
                .isEqualTo("token [redacted]");
        assertThat(Redactor.redact("azure key 0123456789abcdef0123456789ABCDEF"))
                .isEqualTo("azure key [redacted]");
        assertThat(new ProviderError("invalid_api_key", "Bearer Zq7-configured-key-0042").message())
                .isEqualTo("Bearer [redacted]");
    }

    @Test
    void ordinaryProviderTextIsLeftAlone() {
        String text = "Video video_68d7512d07848190b3e45da0ecbebcde0e5e0c0b1a5a0c2b is 720x1280, 8 seconds; "
                + "limit: 5 concurrent jobs (request req_8a1b2c3d4e5f60718293a4b5c6d7e8f9). Sorry about that!";
        assertThat(Redactor.redact(text)).isEqualTo(text);
        Redactor.addSecret("x"); // too short to be anyone's key
        assertThat(Redactor.redact("720x1280")).isEqualTo("720x1280");
        assertThat(Redactor.redact(null)).isNull();
    }
}

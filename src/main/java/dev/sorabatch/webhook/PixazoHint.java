package dev.sorabatch.webhook;

import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Pixazo's {@code callback_url} calls. Pixazo documents no signature (Pixazo-AI/skills {@code skills/sora/SKILL.md}
 * names only the field), so anyone could send one: it is taken as a hint and nothing more, which is all any callback
 * is here (one status check, whose answer comes from Pixazo itself). The job is named as the generate answered it
 * ({@code request_id}, or the older {@code video_id} / {@code id}). The same body twice within the tolerance is a
 * replay: a flood of copies cannot make a flood of status calls.
 */
final class PixazoHint implements CallbackCheck {

    private final long tolerance;

    PixazoHint(long toleranceMillis) {
        this.tolerance = toleranceMillis;
    }

    @Override
    public Delivery check(Function<String, String> header, byte[] body, long now) throws Refused {
        JsonNode node = CallbackCheck.object(body);
        return new Delivery("sha256:" + FalSignatures.sha256(body), now + tolerance,
                CallbackCheck.text(node, "request_id", "video_id", "id"));
    }
}

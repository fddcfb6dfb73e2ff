package dev.sorabatch.provider;

/**
 * One text-to-video generation as sent to a provider.
 *
 * @param prompt  the composed prompt, exactly as sent
 * @param model   provider model or deployment name, e.g. {@code sora-2}
 * @param seconds clip length; sent as a string on the OpenAI wire
 * @param size    {@code WIDTHxHEIGHT}
 * @param remixOf provider video id to remix, or null
 * @param image   first-frame image, or null
 */
public record VideoRequest(String prompt, String model, int seconds, String size, String remixOf, ReferenceImage image) {

    public VideoRequest(String prompt, String model, int seconds, String size) {
        this(prompt, model, seconds, size, null, null);
    }
}

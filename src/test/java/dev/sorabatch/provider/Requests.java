package dev.sorabatch.provider;

import dev.sorabatch.catalog.Frame;

/** Text-to-video requests as tests write them: a size, sound on, no image, no remix. */
public final class Requests {

    private Requests() {
    }

    public static VideoRequest text(String prompt, String model, int seconds, String size) {
        return new VideoRequest(prompt, model, seconds, Frame.ofSize(size).orElseThrow(), true, null, null);
    }
}

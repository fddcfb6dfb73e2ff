package dev.sorabatch.catalog;

/** Whether a model takes a first-frame image ({@code input_reference}). */
public enum ImageInput {
    NONE,
    OPTIONAL,
    /** an image-to-video model: every row must give one */
    REQUIRED
}

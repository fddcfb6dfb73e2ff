package dev.sorabatch.catalog;

/** Whether a model makes a sound track. */
public enum Audio {
    /** silent video only */
    NONE,
    /** always with sound; it cannot be switched off */
    ALWAYS,
    /** with sound unless a row switches it off */
    OPTIONAL;

    /** What a row that does not say gets. */
    public boolean byDefault() {
        return this != NONE;
    }
}

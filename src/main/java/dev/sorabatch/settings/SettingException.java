package dev.sorabatch.settings;

/** A setting that cannot be used as given, in one line that names it; the run stops with exit code 1. */
public class SettingException extends IllegalArgumentException {

    public SettingException(String key, String problem) {
        super("Setting " + key + " " + problem);
    }
}

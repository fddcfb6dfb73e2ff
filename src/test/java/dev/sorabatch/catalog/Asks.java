package dev.sorabatch.catalog;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** Requests written like rows: {@code ask("runway", "seconds", 5, "remix_of", true)}; a field not named is not given. */
final class Asks {

    private static final Set<String> FIELDS = Set.of("model", "seconds", "size", "aspect_ratio", "resolution",
            "generate_audio", "input_reference", "remix_of", "prompt");

    private Asks() {
    }

    /**
     * @param fieldsAndValues field names and values in turn; {@code input_reference} and {@code remix_of} take
     *                        whether one is given, {@code prompt} the prompt's length
     */
    static ModelRequest ask(String provider, Object... fieldsAndValues) {
        Map<String, Object> f = new HashMap<>();
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            if (!FIELDS.contains(fieldsAndValues[i])) {
                throw new IllegalArgumentException("no field " + fieldsAndValues[i]);
            }
            f.put((String) fieldsAndValues[i], fieldsAndValues[i + 1]);
        }
        return new ModelRequest(provider, (String) f.get("model"), (Integer) f.get("seconds"), (String) f.get("size"),
                (String) f.get("aspect_ratio"), (String) f.get("resolution"), (Boolean) f.get("generate_audio"),
                Boolean.TRUE.equals(f.get("input_reference")), Boolean.TRUE.equals(f.get("remix_of")),
                (Integer) f.getOrDefault("prompt", 0));
    }
}

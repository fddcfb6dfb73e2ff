package dev.sorabatch.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.sorabatch.catalog.CheckResult;
import dev.sorabatch.catalog.Frame;
import dev.sorabatch.catalog.ModelRequest;
import dev.sorabatch.catalog.NormalisedRequest;
import dev.sorabatch.store.ColumnSizes;
import dev.sorabatch.reference.ReferenceResolver;
import dev.sorabatch.store.NewItem;
import dev.sorabatch.store.KeyOwner;

/**
 * Checks the rows of one batch against {@link ValidationRules} and turns each into {@link NewItem}s:
 * one per take, or a single rejected draft naming every rule the row broke. It remembers the item keys
 * handed out, so use one instance per batch and feed it the rows in file order.
 *
 * <p><b>Prompt composition.</b> The trimmed prompt, followed by {@code Style: …}, {@code Camera: …} and
 * {@code Audio: …} for those given, in that order, each part a sentence of its own: a part that does not
 * already end in {@code . ! ? …} (or a full-width {@code 。！？}) gets a period, and parts are joined by one
 * space, e.g. {@code "A fox at dawn. Style: cinematic. Camera: tracking shot. Audio: rain falling."}.
 * Without style, camera and audio the prompt is used as trimmed. The length limit applies to the result.
 *
 * <p><b>Item keys</b> name output files: the {@link #sanitise sanitised} id, or {@code <id>-take<N>} when a
 * request asks for several takes. They are unique in the batch ignoring case, so that files do not clash on
 * case-insensitive file systems, and so are the sanitised ids of the rows: a row whose id another row holds is a
 * duplicate. A rejected row keeps its sanitised id when that is usable and free, else it gets {@code row-<N>} (with
 * a further suffix if a caller's id already took that). Claims are kept in a {@link KeyRegistry}.
 *
 * <p><b>Lengths.</b> Every text must fit its store column ({@link ColumnSizes}): a longer id, model, size,
 * {@code remix_of}, {@code input_reference} or metadata (as JSON) rejects the row, and the rejected draft leaves the
 * value out (a too long prompt is cut to the column), so that the row itself can always be stored.
 *
 * <p>String fields are trimmed and a blank one counts as absent. {@code seconds} and {@code takes} take a
 * whole number or a string of digits; {@code id} takes text or a whole number. Rejected drafts carry what
 * could be read: the composed prompt if there is a prompt, seconds 0 if unreadable, other fields null.
 */
public final class RequestValidator {

    /** Request fields with a meaning of their own; any other field is metadata. */
    static final List<String> FIELDS = List.of("id", "prompt", "style", "camera", "audio", "model", "seconds",
            "size", "takes", "remix_of", "input_reference", "provider", "aspect_ratio", "resolution", "generate_audio");
    private static final List<String> PROMPT_ADDITIONS = List.of("style", "camera", "audio");
    private static final int MAX_KEY_LENGTH = 100;
    private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9.-]+");
    private static final Pattern LEADING_JUNK = Pattern.compile("^[._]+");
    private static final Pattern TRAILING_JUNK = Pattern.compile("[._]+$");
    private static final Pattern WHOLE_NUMBER = Pattern.compile("[-+]?\\d+");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final int SHOWN_LENGTH = 100;

    private final ValidationRules rules;
    private final ReferenceResolver references;
    private final ColumnSizes columns;
    private final KeyRegistry keys;
    private final RowProviders providers;
    private final Set<String> models;
    private final Set<String> allSizes;

    /** A validator for one batch with no store limits, remembering every key it hands out. */
    public RequestValidator(ValidationRules rules) {
        this(rules, ReferenceResolver.NONE, ColumnSizes.UNBOUNDED, new KeyRegistry(), RowProviders.openAiOnly());
    }

    public RequestValidator(ValidationRules rules, ReferenceResolver references, ColumnSizes columns, KeyRegistry keys,
                            RowProviders providers) {
        this.rules = rules;
        this.providers = providers;
        this.references = references;
        this.columns = columns;
        this.keys = keys;
        this.models = rules.models();
        Set<String> sizes = new LinkedHashSet<>(rules.standardSizes());
        sizes.addAll(rules.proSizes());
        this.allSizes = sizes;
    }

    /** One draft per take of a valid row, or a single rejected draft. */
    public List<NewItem> validate(RawRow raw) {
        int row = raw.row();
        if (raw.parseError() != null) {
            String requestId = String.valueOf(row);
            return List.of(new NewItem(row, requestId, claimFallbackKey(row, requestId), null, 1, null, null, 0, null,
                    null, null, "{}", raw.parseError()));
        }
        Fields fields = new Fields(raw.fields());
        String requestId = fields.id(row);
        boolean idFits = fits("id", requestId, columns.of("request_id"), fields);
        if (!idFits) {
            requestId = String.valueOf(row);
        }
        // a single-take row's key is its id: both must be free; the takes of a multi-take row are checked below
        String key = idFits ? idKey(requestId, fields, fields.peekWholeNumber("takes") == 1) : null;
        String prompt = composePrompt(fields);
        String provider = fields.text("provider", providers.defaultProvider());
        // a catalogued provider's defaults come from its catalogue entry, once the row is checked against it
        boolean catalogued = provider != null && providers.catalogued(provider);
        String model = column(fields, "model", catalogued ? null : rules.defaultModel());
        Integer seconds = fields.wholeNumber("seconds", catalogued ? null : rules.defaultSeconds());
        String size = column(fields, "size", catalogued ? null : rules.defaultSize());
        Integer takes = fields.wholeNumber("takes", 1);
        String remixOf = column(fields, "remix_of", null);
        String inputReference = fields.text("input_reference", null);
        if (inputReference != null) {
            try {
                inputReference = references.resolve(inputReference, rules.references());
                if (!fits("input_reference", inputReference, columns.of("input_reference"), fields)) {
                    inputReference = null;
                }
            } catch (IllegalArgumentException e) {
                fields.reject("input_reference " + e.getMessage());
            }
        }
        String metadataJson = fields.metadataJson();
        if (!fits("metadata", metadataJson, columns.of("metadata"), fields)) {
            metadataJson = "{}";
        }

        Target target = null;
        if (provider != null && !providers.enabled().contains(provider)) {
            fields.reject("provider " + abbreviate(provider) + " is not enabled: add it to sora.providers (with its key) "
                    + "to send rows to it; enabled: " + list(new TreeSet<>(providers.enabled())));
        } else if (catalogued) {
            target = catalogueCheck(provider, model, seconds, size, prompt, remixOf != null, inputReference != null,
                    fields);
        } else if (provider != null) {
            checkModelAndSize(model, size, fields);
            if (seconds != null && !rules.allowedSeconds().contains(seconds)) {
                fields.reject("seconds must be one of " + list(rules.allowedSeconds()) + " (got "
                        + fields.shown("seconds") + ")");
            }
            target = openAiTarget(provider, model, size);
        }
        if (target != null) {
            model = target.model();
            seconds = target.seconds() != null ? target.seconds() : seconds;
            size = target.size();
        }
        if (takes != null && (takes < 1 || takes > rules.maxTakes())) {
            fields.reject("takes must be between 1 and " + rules.maxTakes() + " (got " + fields.shown("takes") + ")");
        }
        if (fields.problems.isEmpty() && takes > 1) {
            checkTakeKeys(key, takes, fields);
        }
        if (!fields.problems.isEmpty()) {
            boolean keepsKey = key != null && keys.keyOwner(key) == null;
            String itemKey = keepsKey ? claim(key, row, requestId) : claimFallbackKey(row, requestId);
            String storedPrompt = prompt == null || prompt.length() <= columns.of("prompt") ? prompt
                    : prompt.substring(0, columns.of("prompt"));
            return List.of(new NewItem(row, requestId, itemKey, keepsKey ? key : null, 1, storedPrompt, model,
                    seconds == null ? 0 : seconds, size, remixOf, inputReference, metadataJson,
                    String.join("; ", fields.problems)));
        }
        if (takes == 1) {
            return List.of(new NewItem(row, requestId, claim(key, row, requestId), key, 1, prompt, model, seconds, size,
                    remixOf, inputReference, metadataJson, null, provider, target.audio(), target.aspectRatio(),
                    target.resolution()));
        }
        // the bare id is claimed for multi-take rows too, so that a repeated id is reported as a duplicate
        keys.claimId(key, row, requestId);
        List<NewItem> drafts = new ArrayList<>(takes);
        for (int take = 1; take <= takes; take++) {
            String itemKey = takeKey(key, take);
            keys.claimKey(itemKey, row, requestId);
            drafts.add(new NewItem(row, requestId, itemKey, take == 1 ? key : null, take, prompt, model, seconds, size,
                    remixOf, inputReference, metadataJson, null, provider, target.audio(), target.aspectRatio(),
                    target.resolution()));
        }
        return drafts;
    }

    /**
     * Makes an id safe as a file stem: every run of characters outside {@code [A-Za-z0-9._-]} and of
     * underscores becomes a single {@code _}; leading dots and underscores go (no hidden files, no
     * {@code .} or {@code ..}); the result is cut to 100 characters; trailing dots and underscores go.
     * An empty result means the id cannot name a file.
     */
    static String sanitise(String id) {
        String safe = LEADING_JUNK.matcher(UNSAFE.matcher(id).replaceAll("_")).replaceAll("");
        if (safe.length() > MAX_KEY_LENGTH) {
            safe = safe.substring(0, MAX_KEY_LENGTH);
        }
        return TRAILING_JUNK.matcher(safe).replaceAll("");
    }

    /** The request field a CSV column name stands for: known fields match ignoring case, others stay as written. */
    static String fieldName(String column) {
        return FIELDS.stream().filter(column::equalsIgnoreCase).findFirst().orElse(column);
    }

    /**
     * The sanitised id if it is usable and no other row holds it (nor, for a single take, a file of that name),
     * else null with the problem recorded.
     */
    private String idKey(String requestId, Fields fields, boolean singleTake) {
        String key = sanitise(requestId);
        String problem;
        if (key.isEmpty()) {
            problem = "id \"" + requestId + "\" has no characters usable in a file name";
        } else {
            KeyOwner owner = keys.idOwner(key);
            if (owner == null && singleTake) {
                owner = keys.keyOwner(key);
            }
            if (owner == null) {
                return key;
            }
            problem = owner.requestId().equals(requestId)
                    ? "duplicate id \"" + requestId + "\" (first used on row " + owner.row() + ")"
                    : "id \"" + requestId + "\" clashes with file name \"" + owner.key() + "\" already used by row " + owner.row();
        }
        fields.reject(problem);
        return null;
    }

    private void checkTakeKeys(String key, int takes, Fields fields) {
        for (int take = 1; take <= takes; take++) {
            KeyOwner owner = keys.keyOwner(takeKey(key, take));
            if (owner != null) {
                fields.reject("take " + take + " would be saved as \"" + takeKey(key, take) + "\", which row "
                        + owner.row() + " already uses");
            }
        }
    }

    /** A text field kept in the store column of its name: null, with the problem recorded, when too long for it. */
    private String column(Fields fields, String name, String absent) {
        String value = fields.text(name, absent);
        return fits(name, value, columns.of(name), fields) ? value : null;
    }

    private static boolean fits(String name, String value, int limit, Fields fields) {
        if (value == null || value.length() <= limit) {
            return true;
        }
        fields.reject(name + " is " + value.length() + " characters" + (name.equals("metadata") ? " as JSON" : "")
                + "; the limit is " + limit);
        return false;
    }

    private String composePrompt(Fields fields) {
        Object given = fields.values.get("prompt");
        String prompt = fields.text("prompt", null);
        if (prompt == null && (given == null || given instanceof String)) {
            fields.reject("prompt is required");
        }
        List<String> added = new ArrayList<>();
        for (String field : PROMPT_ADDITIONS) {
            String value = fields.text(field, null);
            if (value != null) {
                added.add(field);
                if (prompt != null) {
                    String label = Character.toUpperCase(field.charAt(0)) + field.substring(1);
                    prompt = sentence(prompt) + " " + sentence(label + ": " + value);
                }
            }
        }
        int length = prompt == null ? 0 : prompt.codePointCount(0, prompt.length());
        if (length > rules.promptMaxLength()) {
            fields.reject("prompt is " + length + " characters" + (added.isEmpty() ? "" : " after adding "
                    + String.join("/", added)) + "; the limit is " + rules.promptMaxLength());
        } else {
            fits("prompt", prompt, columns.of("prompt"), fields);
        }
        return prompt;
    }

    private static String sentence(String text) {
        return "。！？.!?…".indexOf(text.charAt(text.length() - 1)) >= 0 ? text : text + ".";
    }

    /** What a valid row settles: its model, length, frame and sound, every default filled in. */
    private record Target(String model, Integer seconds, String size, String aspectRatio, String resolution,
                          Boolean audio) {
    }

    /** A row for a catalogued provider, checked against that provider's models; null when it is not valid. */
    private Target catalogueCheck(String provider, String model, Integer seconds, String size, String prompt,
                                  boolean remix, boolean image, Fields fields) {
        String aspect = column(fields, "aspect_ratio", null);
        String resolution = column(fields, "resolution", null);
        Boolean audio = fields.flag("generate_audio");
        if (!fields.problems.isEmpty()) {
            return null;
        }
        CheckResult result = providers.catalog().check(new ModelRequest(provider, model, seconds, size, aspect,
                resolution, audio, image, remix, prompt == null ? 0 : prompt.codePointCount(0, prompt.length())));
        if (!result.accepted()) {
            result.problems().forEach(problem -> fields.reject(provider + ": " + problem));
            return null;
        }
        NormalisedRequest settled = result.request().orElseThrow();
        Frame frame = settled.frame();
        return new Target(settled.model(), settled.seconds(), frame.size(), frame.aspectRatio(), frame.resolution(),
                settled.audio());
    }

    /** An OpenAI row's frame (by size) and sound (Sora 2 always makes it, and so do models of the catalogue). */
    private Target openAiTarget(String provider, String model, String size) {
        Optional<Frame> frame = size == null ? Optional.empty() : Frame.ofSize(size);
        boolean audio = model == null || providers.catalog().model(provider, model)
                .map(spec -> spec.audio().byDefault()).orElse(true);
        return new Target(model, null, size, frame.map(Frame::aspectRatio).orElse(null),
                frame.map(Frame::resolution).orElse(null), audio);
    }

    private void checkModelAndSize(String model, String size, Fields fields) {
        boolean usable = model != null && models.contains(model);
        if (model != null && !usable) {
            fields.reject("model must be one of " + list(models) + " (got " + abbreviate(model) + ")");
        }
        // with an unusable model, only sizes no model accepts are worth reporting
        Set<String> allowed = usable ? rules.sizesFor(model) : allSizes;
        if (size != null && !allowed.contains(size)) {
            fields.reject(allSizes.contains(size)
                    ? "size " + size + " is only available for " + String.join(" or ", rules.proModels())
                    : "size must be one of " + list(allowed) + " (got " + abbreviate(size) + ")");
        }
    }

    /** Claims a key that is both the row's item key and its id. */
    private String claim(String key, int row, String requestId) {
        keys.claimId(key, row, requestId);
        keys.claimKey(key, row, requestId);
        return key;
    }

    private String claimFallbackKey(int row, String requestId) {
        String key = "row-" + row;
        for (int suffix = 2; keys.keyOwner(key) != null; suffix++) {
            key = "row-" + row + "-" + suffix;
        }
        keys.claimKey(key, row, requestId);
        return key;
    }

    private static String takeKey(String key, int take) {
        return key + "-take" + take;
    }

    /** A value as quoted in a message: long ones cut, so a reason never carries a whole hostile cell. */
    private static String abbreviate(String value) {
        return value.length() <= SHOWN_LENGTH ? value
                : value.substring(0, SHOWN_LENGTH) + "… (" + value.length() + " characters)";
    }

    private static String list(Collection<?> values) {
        return values.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    /** Typed access to one row's fields, collecting what is wrong with them. */
    private static final class Fields {
        final Map<String, Object> values;
        final List<String> problems = new ArrayList<>();

        Fields(Map<String, Object> values) {
            this.values = values;
        }

        void reject(String problem) {
            problems.add(problem);
        }

        /** The trimmed text, {@code absent} when missing or blank, null when not text. */
        String text(String name, String absent) {
            Object value = values.get(name);
            if (value == null || value instanceof String s && s.isBlank()) {
                return absent;
            }
            if (value instanceof String s) {
                return s.strip();
            }
            reject(name + " must be text (got " + typeOf(value) + ")");
            return null;
        }

        String id(int row) {
            Object value = values.get("id");
            String id = isWholeNumber(value) ? value.toString() : text("id", null);
            return id != null ? id : String.valueOf(row);
        }

        /**
         * The value as an int, {@code absent} when missing or blank, null when not a whole number.
         * Values beyond int range saturate, which fails any range check.
         */
        /** true/false (also yes/no, 1/0), null when missing; a problem when it is none of those. */
        Boolean flag(String name) {
            Object value = values.get(name);
            if (value == null || value instanceof String s && s.isBlank()) {
                return null;
            }
            if (value instanceof Boolean b) {
                return b;
            }
            String text = value.toString().strip().toLowerCase(Locale.ROOT);
            return switch (text) {
                case "true", "yes", "1" -> true;
                case "false", "no", "0" -> false;
                default -> {
                    reject(name + " must be true or false (got " + shown(name) + ")");
                    yield null;
                }
            };
        }

        Integer wholeNumber(String name, Integer absent) {
            Object value = values.get(name);
            if (value == null || value instanceof String s && s.isBlank()) {
                return absent;
            }
            String digits = value instanceof String s ? s.strip() : isWholeNumber(value) ? value.toString() : null;
            if (digits == null || !WHOLE_NUMBER.matcher(digits).matches()) {
                reject(name + " must be a whole number (got " + shown(name) + ")");
                return null;
            }
            BigInteger number = new BigInteger(digits);
            return number.bitLength() < Integer.SIZE ? number.intValue() : number.signum() * Integer.MAX_VALUE;
        }

        /** The whole number a field holds, 1 when it is missing or not one; records no problem. */
        int peekWholeNumber(String name) {
            Object value = values.get(name);
            String digits = value instanceof String s ? s.strip() : isWholeNumber(value) ? value.toString() : "";
            return WHOLE_NUMBER.matcher(digits).matches() && digits.length() < 10 ? Integer.parseInt(digits) : 1;
        }

        /** The value as written, for messages. */
        String shown(String name) {
            Object value = values.get(name);
            return value instanceof String || value instanceof Number ? abbreviate(value.toString().strip()) : typeOf(value);
        }

        String metadataJson() {
            Map<String, Object> metadata = new LinkedHashMap<>(values);
            metadata.keySet().removeAll(FIELDS);
            try {
                return JSON.writeValueAsString(metadata);
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException("metadata holds a value that is not JSON", e);
            }
        }

        private static boolean isWholeNumber(Object value) {
            return value instanceof Integer || value instanceof Long || value instanceof BigInteger;
        }

        private static String typeOf(Object value) {
            if (value instanceof Number) {
                return "a number";
            }
            if (value instanceof Boolean) {
                return "a boolean";
            }
            return value instanceof List ? "an array" : value instanceof Map ? "an object" : "text";
        }
    }
}

package dev.sorabatch.ingest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.sorabatch.reference.ReferencePolicy;
import dev.sorabatch.reference.ReferenceResolverTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import dev.sorabatch.store.NewItem;

class RequestValidatorTest {

    private final RequestValidator validator = new RequestValidator(ValidationRules.defaults());
    private int nextRow = 1;

    /** Validates the next row of the batch; fields alternate name, value. */
    private List<NewItem> row(Object... fields) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < fields.length; i += 2) {
            map.put((String) fields[i], fields[i + 1]);
        }
        return validator.validate(new RawRow(nextRow++, map, null));
    }

    private String rejection(Object... fields) {
        List<NewItem> drafts = row(fields);
        assertEquals(1, drafts.size());
        return drafts.get(0).rejection();
    }

    @Test
    void appliesDefaults() {
        assertEquals(List.of(new NewItem(1, "1", "1", "1", 1, "A fox at dawn", "sora-2", 4, "720x1280", null, null, "{}", null,
                "openai", true, "9:16", "720p")),
                row("prompt", "  A fox at dawn \n"));
    }

    @Test
    void carriesRemixAndInputReference() {
        NewItem draft = row("prompt", "p", "remix_of", "video_123", "input_reference",
                ReferenceResolverTest.PNG_DATA_URL).get(0);

        assertNull(draft.rejection());
        assertEquals("video_123", draft.remixOf());
        assertEquals(ReferenceResolverTest.PNG_DATA_URL, draft.inputReference());
    }

    @Test
    void inputReferencesFollowTheReferencePolicyOfTheRules() {
        assertEquals("input_reference must not be a URL: https:// references are off (list the hosts that may be "
                + "fetched in sora.input-reference.allow-urls)", rejection("prompt", "p", "input_reference",
                "https://images.example.com/a.png"));
        ValidationRules d = ValidationRules.defaults();
        RequestValidator listed = new RequestValidator(new ValidationRules(d.promptMaxLength(), d.allowedSeconds(),
                d.maxTakes(), d.defaultModel(), d.defaultSeconds(), d.defaultSize(), d.standardSizes(), d.proSizes(),
                d.proModels(), d.extraModels(), new ReferencePolicy(Set.of("images.example.com"), Set.of(), 1024)));
        NewItem draft = listed.validate(new RawRow(1, Map.of("prompt", "p", "input_reference",
                "https://images.example.com/a.png"), null)).get(0);
        assertNull(draft.rejection());
        assertEquals("https://images.example.com/a.png", draft.inputReference());
    }

    @Test
    void expandsTakesWithKeys() {
        List<NewItem> drafts = row("id", "intro", "prompt", "p", "takes", "3");

        assertEquals(List.of("intro-take1", "intro-take2", "intro-take3"), drafts.stream().map(NewItem::itemKey).toList());
        assertEquals(List.of(1, 2, 3), drafts.stream().map(NewItem::take).toList());
        drafts.forEach(d -> assertEquals("intro", d.requestId()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            A fox at dawn    | cinematic  | tracking shot | rain falling | A fox at dawn. Style: cinematic. Camera: tracking shot. Audio: rain falling.
            A fox at dawn!   | noir.      |               |              | A fox at dawn! Style: noir.
            Was it a fox?    |            |               | footsteps…   | Was it a fox? Audio: footsteps…
            東京の夜。         | handheld   |               |              | 東京の夜。 Style: handheld.
            A fox at dawn    |            |               |              | A fox at dawn
            """)
    void composesThePrompt(String prompt, String style, String camera, String audio, String expected) {
        assertEquals(expected, row("prompt", prompt, "style", style, "camera", camera, "audio", audio).get(0).prompt());
    }

    @Test
    void limitsThePromptAfterComposition() {
        assertNull(rejection("prompt", "x".repeat(1000)));
        assertNull(rejection("prompt", "🦊".repeat(1000)), "counts characters, not UTF-16 units");
        assertEquals("prompt is 1001 characters; the limit is 1000", rejection("prompt", "x".repeat(1001)));
        assertEquals("prompt is 1016 characters after adding style/audio; the limit is 1000",
                rejection("prompt", "x".repeat(990), "style", "noir", "audio", "hum"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            seconds | 5                 | seconds must be one of 4, 8, 12 (got 5)
            seconds | 8.0               | seconds must be a whole number (got 8.0)
            seconds | eight             | seconds must be a whole number (got eight)
            seconds | 99999999999999999 | seconds must be one of 4, 8, 12 (got 99999999999999999)
            takes   | 0                 | takes must be between 1 and 4 (got 0)
            takes   | 5                 | takes must be between 1 and 4 (got 5)
            takes   | -1                | takes must be between 1 and 4 (got -1)
            model   | sora-3            | model must be one of sora-2, sora-2-pro (got sora-3)
            size    | 1792x1024         | size 1792x1024 is only available for sora-2-pro
            size    | 640x480           | size must be one of 720x1280, 1280x720 (got 640x480)
            id      | ..                | id ".." has no characters usable in a file name
            id      | 東京               | id "東京" has no characters usable in a file name
            """)
    void rejectsWithAReasonNamingFieldAndRule(String field, String value, String reason) {
        assertEquals(reason, rejection("prompt", "p", field, value));
    }

    @Test
    void rejectsNonTextAndMissingPrompts() {
        assertEquals("prompt is required", rejection("style", "noir"));
        assertEquals("prompt is required", rejection("prompt", " \t\n"));
        assertEquals("prompt must be text (got a number)", rejection("prompt", 42));
        assertEquals("style must be text (got an array)", rejection("prompt", "p", "style", List.of("noir")));
        assertEquals("seconds must be a whole number (got 8.0)", rejection("prompt", "p", "seconds", new BigDecimal("8.0")));
        assertEquals("takes must be a whole number (got a boolean)", rejection("prompt", "p", "takes", true));
    }

    @Test
    void acceptsNumbersAndNumericStrings() {
        assertEquals(8, row("prompt", "p", "seconds", 8).get(0).seconds());
        assertEquals(12, row("prompt", "p", "seconds", " 12 ").get(0).seconds());
        assertEquals("17", row("prompt", "p", "id", 17L).get(0).itemKey());
    }

    @Test
    void acceptsProSizesForProModels() {
        NewItem draft = row("prompt", "p", "model", "sora-2-pro", "size", "1024x1792").get(0);

        assertNull(draft.rejection());
        assertEquals("1024x1792", draft.size());
    }

    @Test
    void reportsEveryProblemAndKeepsWhatWasReadable() {
        NewItem draft = row("id", "clip", "prompt", "A fox", "style", "noir", "seconds", "5", "model", "sora-3",
                "size", "1x1", "mood", "calm").get(0);

        assertEquals("model must be one of sora-2, sora-2-pro (got sora-3); size must be one of 720x1280, 1280x720, "
                + "1024x1792, 1792x1024 (got 1x1); seconds must be one of 4, 8, 12 (got 5)", draft.rejection());
        assertEquals(new NewItem(1, "clip", "clip", "clip", 1, "A fox. Style: noir.", "sora-3", 5, "1x1", null, null,
                "{\"mood\":\"calm\"}", draft.rejection()), draft);
    }

    @Test
    void rejectsUnreadableRowsWithTheirParseError() {
        NewItem draft = validator.validate(new RawRow(7, Map.of(), "line 9 is not a JSON object: found an array")).get(0);

        assertEquals(new NewItem(7, "7", "row-7", null, 1, null, null, 0, null, null, null, "{}",
                "line 9 is not a JSON object: found an array"), draft);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            intro            | intro
            My Clip / 01     | My_Clip_01
            ../../etc/passwd | etc_passwd
            .hidden.         | hidden
            a__b  c          | a_b_c
            café-2.final     | caf_-2.final
            """)
    void sanitisesIds(String id, String key) {
        assertEquals(key, row("id", id, "prompt", "p").get(0).itemKey());
    }

    @Test
    void capsKeysAt100Characters() {
        assertEquals("a".repeat(100), RequestValidator.sanitise("a".repeat(150)));
        assertEquals("a".repeat(98), RequestValidator.sanitise("a".repeat(98) + "._" + "b".repeat(10)));
    }

    @Test
    void rejectsDuplicateIds() {
        row("id", "intro", "prompt", "p");
        row("id", "other", "prompt", "p");
        List<NewItem> duplicate = row("id", "intro", "prompt", "p");

        assertEquals("duplicate id \"intro\" (first used on row 1)", duplicate.get(0).rejection());
        assertEquals("row-3", duplicate.get(0).itemKey());
    }

    @Test
    void rejectsIdsThatClashOnceSanitisedOrIgnoringCase() {
        row("id", "a b", "prompt", "p");
        row("id", "Intro", "prompt", "p");

        assertEquals("id \"a_b\" clashes with file name \"a_b\" already used by row 1", rejection("id", "a_b", "prompt", "p"));
        assertEquals("id \"intro\" clashes with file name \"Intro\" already used by row 2", rejection("id", "intro", "prompt", "p"));
    }

    @Test
    void rejectsTakesWhoseKeysAreTaken() {
        row("id", "x-take2", "prompt", "p");

        assertEquals("take 2 would be saved as \"x-take2\", which row 1 already uses",
                rejection("id", "x", "prompt", "p", "takes", 3));
        assertEquals("duplicate id \"x\" (first used on row 2)", rejection("id", "x", "prompt", "p"));
    }

    @Test
    void rejectedRowKeepsItsIdAsKeySoLaterDuplicatesAreCaught() {
        NewItem rejected = row("id", "clip", "prompt", "p", "seconds", 5).get(0);

        assertEquals("clip", rejected.itemKey());
        assertEquals("duplicate id \"clip\" (first used on row 1)", rejection("id", "clip", "prompt", "p"));
    }

    @Test
    void fallbackKeysStayUniqueWhenAnIdTookThem() {
        row("id", "row-2", "prompt", "p");
        NewItem rejected = row("id", "row-2", "prompt", "p").get(0);

        assertEquals("row-2-2", rejected.itemKey());
    }

    @Test
    void rowNumbersAsDefaultIdsCountAsUsed() {
        row("prompt", "p");

        assertEquals("duplicate id \"1\" (first used on row 1)", rejection("id", "1", "prompt", "p"));
    }

    @Test
    void echoesUnknownFieldsAsMetadata() {
        NewItem draft = row("prompt", "p", "style", "noir", "campaign", Map.of("name", "spring"), "priority", 2).get(0);

        assertEquals("{\"campaign\":{\"name\":\"spring\"},\"priority\":2}", draft.metadataJson());
    }

    @Test
    void honoursConfiguredModelsSizesAndSeconds() {
        ValidationRules rules = new ValidationRules(1000, ValidationRules.parseNumbers("4,8,12,16,20"), 2, "sora-2", 4,
                "720x1280", Set.of("720x1280"), Set.of("1792x1024"), ValidationRules.parseList("sora-2-pro, azure-pro"),
                ValidationRules.parseList("azure-std,azure-pro"));
        RequestValidator configured = new RequestValidator(rules);

        assertNull(configured.validate(new RawRow(1, Map.of("prompt", "p", "seconds", 20, "model", "azure-std"), null))
                .get(0).rejection());
        assertNull(configured.validate(new RawRow(2, Map.of("prompt", "p", "model", "azure-pro", "size", "1792x1024"), null))
                .get(0).rejection());
        assertEquals("size 1792x1024 is only available for sora-2-pro or azure-pro", configured.validate(
                new RawRow(3, Map.of("prompt", "p", "model", "azure-std", "size", "1792x1024"), null)).get(0).rejection());
        assertEquals("takes must be between 1 and 2 (got 3)",
                configured.validate(new RawRow(4, Map.of("prompt", "p", "takes", 3), null)).get(0).rejection());
    }
}

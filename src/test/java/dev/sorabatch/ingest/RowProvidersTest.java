package dev.sorabatch.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.sorabatch.catalog.ModelCatalog;
import dev.sorabatch.reference.ReferenceResolver;
import dev.sorabatch.store.ColumnSizes;
import dev.sorabatch.store.NewItem;

/** Rows that name their provider: checked against that provider's catalogue entry, or rejected if it is not enabled. */
class RowProvidersTest {

    private final RequestValidator validator = new RequestValidator(ValidationRules.defaults(), ReferenceResolver.NONE,
            ColumnSizes.UNBOUNDED, new KeyRegistry(), new RowProviders("runway", Set.of("fal"), ModelCatalog.builtIn()));
    private int nextRow = 1;

    private NewItem row(Object... fields) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < fields.length; i += 2) {
            map.put((String) fields[i], fields[i + 1]);
        }
        List<NewItem> drafts = validator.validate(new RawRow(nextRow++, map, null));
        assertThat(drafts).hasSize(1);
        return drafts.get(0);
    }

    @Test
    void aRowNamingNoProviderGetsTheDefaultProvidersDefaultModelWithSound() {
        NewItem item = row("prompt", "A glass harbour at dawn");
        assertThat(item.rejection()).isNull();
        ModelCatalog catalog = ModelCatalog.builtIn();
        assertThat(item.provider()).isEqualTo("runway");
        assertThat(item.model()).isEqualTo(catalog.defaultModel("runway").id());
        assertThat(item.seconds()).isEqualTo(catalog.defaultModel("runway").defaultSeconds());
        assertThat(item.audio()).isTrue();
        assertThat(item.aspectRatio()).isNotNull();
        assertThat(item.resolution()).isNotNull();
    }

    @Test
    void aRowForAnotherEnabledProviderIsCheckedAgainstItsModels() {
        NewItem kling = row("provider", "fal", "model", "fal-ai/kling-video/v2.1/master/text-to-video",
                "prompt", "A glass harbour at dawn", "seconds", "10", "aspect_ratio", "1:1");
        assertThat(kling.rejection()).isNull();
        assertThat(kling.provider()).isEqualTo("fal");
        assertThat(kling.aspectRatio()).isEqualTo("1:1");
        assertThat(kling.resolution()).isEqualTo("1080p");

        NewItem tooLong = row("provider", "fal", "model", "fal-ai/kling-video/v2.1/master/text-to-video",
                "prompt", "A glass harbour at dawn", "seconds", "7");
        assertThat(tooLong.rejection()).startsWith("fal: seconds must be");
        assertThat(row("provider", "fal", "model", "sora-2", "prompt", "p").rejection()).contains("fal: model must be one of");
        assertThat(row("provider", "runway", "prompt", "p", "generate_audio", "maybe").rejection())
                .contains("generate_audio must be true or false");
    }

    @Test
    void aRowNamingAProviderThatIsNotEnabledIsRejectedSayingHowToEnableIt() {
        NewItem item = row("provider", "replicate", "prompt", "A glass harbour at dusk");
        assertThat(item.rejection()).contains("provider replicate is not enabled", "sora.providers", "fal, runway");
    }
}

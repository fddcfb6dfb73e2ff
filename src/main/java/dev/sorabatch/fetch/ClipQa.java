package dev.sorabatch.fetch;

import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sorabatch.budget.ItemPrices;
import dev.sorabatch.catalog.Frame;
import dev.sorabatch.qa.ClipCheck;
import dev.sorabatch.qa.ClipFacts;
import dev.sorabatch.store.ClipReport;
import dev.sorabatch.store.Item;

/**
 * Checks a stored video against what its item asked: the length, the frame, and a sound track where the model
 * promises sound (from the catalogue). A flagged clip is kept; the flags go on the item and into the manifest.
 */
public final class ClipQa {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ItemPrices catalogue;
    private final ClipCheck check;

    public ClipQa(ItemPrices catalogue, ClipCheck check) {
        this.catalogue = catalogue;
        this.check = check;
    }

    public ClipReport report(Item item, ClipFacts facts) {
        // an item that names no frame is held to the one it got
        Frame asked = Frame.ofSize(item.size() == null ? "" : item.size())
                .orElse(new Frame(Math.max(1, facts.displayWidth()), Math.max(1, facts.displayHeight()), "", ""));
        int seconds = item.seconds() == null ? 0 : item.seconds();
        List<ClipCheck.Flag> flags = check.check(facts, ClipCheck.Expected.of(seconds, asked.width(), asked.height(),
                catalogue.audioPromised(item)));
        try {
            return new ClipReport(item.id(), facts.duration().map(d -> d.toMillis()).orElse(null), facts.width(),
                    facts.height(), facts.videoCodec().orElse(null), facts.audioCodec().orElse(null),
                    JSON.writeValueAsString(flags));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e); // records of strings always serialise
        }
    }
}

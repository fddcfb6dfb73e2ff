package dev.sorabatch.catalog;

import java.util.ArrayList;
import java.util.List;

/** The catalogue as markdown, a table per provider: the README's "Models and prices" is this text. */
public final class CatalogMarkdown {

    private CatalogMarkdown() {
    }

    public static String render(ModelCatalog catalog) {
        List<String> tables = new ArrayList<>();
        for (String provider : catalog.providers()) {
            String defaultModel = catalog.defaultModel(provider).id();
            StringBuilder table = new StringBuilder("### " + provider + "\n\n")
                    .append("| model | default | seconds | sizes, or aspect ratios × resolutions | audio | image input"
                            + " | prompt limit | $/s | notes |\n")
                    .append("|---|---|---|---|---|---|---|---|---|\n");
            for (ModelSpec m : catalog.models(provider)) {
                table.append(row("`" + m.id() + "`", m.id().equals(defaultModel) ? "yes" : "", m.seconds().toString(),
                        frames(m), audio(m.audio()), image(m.image()),
                        m.promptLimit().isPresent() ? String.valueOf(m.promptLimit().getAsInt()) : "—",
                        m.pricing().toString(), notes(m)));
            }
            tables.add(table.toString());
        }
        return String.join("\n", tables);
    }

    private static String frames(ModelSpec m) {
        return m.listedBySize() ? String.join(", ", m.sizes())
                : String.join(", ", m.aspectRatios()) + " × " + String.join(", ", m.resolutions());
    }

    private static String audio(Audio audio) {
        return switch (audio) {
            case NONE -> "no";
            case ALWAYS -> "always";
            case OPTIONAL -> "yes, can be off";
        };
    }

    private static String image(ImageInput image) {
        return switch (image) {
            case NONE -> "no";
            case OPTIONAL -> "optional";
            case REQUIRED -> "required";
        };
    }

    private static String notes(ModelSpec m) {
        List<String> notes = new ArrayList<>();
        if (m.remix()) {
            notes.add("remix");
        }
        m.note().ifPresent(notes::add);
        return String.join("; ", notes);
    }

    private static String row(String... cells) {
        return "| " + String.join(" | ", List.of(cells).stream().map(c -> c.replace("|", "\\|")).toList()) + " |\n";
    }
}

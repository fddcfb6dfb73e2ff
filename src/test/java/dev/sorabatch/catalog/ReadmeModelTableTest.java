package dev.sorabatch.catalog;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's model tables are the catalogue's: change models.yaml, then paste {@link CatalogMarkdown#render}. */
class ReadmeModelTableTest {

    private static final String START = "<!-- models:start -->";
    private static final String END = "<!-- models:end -->";

    @Test
    void readmeShowsTheBuiltInCatalogue() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf(START);
        int end = readme.indexOf(END);

        assertThat(start).as("the README marks its model tables with " + START).isNotNegative();
        assertThat(end).as(END + " after " + START).isGreaterThan(start);
        assertThat(readme.substring(start + START.length(), end).strip())
                .isEqualTo(CatalogMarkdown.render(ModelCatalog.builtIn()).strip());
    }
}

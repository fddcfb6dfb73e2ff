package dev.sorabatch.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class ReferenceResolverTest {

    @Test
    void folderReferencesResolveInsideTheInputFolder() {
        Path inbox = Path.of("/srv/inbox");
        ReferenceResolver folder = ReferenceResolver.folder(inbox);
        assertThat(folder.resolve("images/cat.png")).isEqualTo(inbox.resolve("images/cat.png").toString());
        assertThat(folder.resolve("data:image/png;base64,AAAA")).isEqualTo("data:image/png;base64,AAAA");
        assertThat(folder.resolve("https://example.com/a.png")).isEqualTo("https://example.com/a.png");
    }

    @Test
    void referencesThatLeaveTheStoreAreRefused() {
        ReferenceResolver folder = ReferenceResolver.folder(Path.of("/srv/inbox"));
        assertThatThrownBy(() -> folder.resolve("../secrets.png")).hasMessageContaining("relative");
        assertThatThrownBy(() -> folder.resolve("/etc/passwd")).hasMessageContaining("relative");
        assertThatThrownBy(() -> folder.resolve("images/../../x.png")).hasMessageContaining("relative");
        assertThatThrownBy(() -> ReferenceResolver.bucket("in", "p/").resolve("../x.png")).hasMessageContaining("relative");
    }

    @Test
    void bucketReferencesResolveUnderThePrefix() {
        assertThat(ReferenceResolver.bucket("in", "incoming/").resolve("images/cat é.png"))
                .isEqualTo("s3://in/incoming/images/cat é.png");
        assertThat(ReferenceResolver.bucket("in", "").resolve("s3://other/x.png")).isEqualTo("s3://other/x.png");
    }

    @Test
    void withoutAStoreOnlyUrlsAreAccepted() {
        assertThat(ReferenceResolver.NONE.resolve("https://example.com/a.png")).isEqualTo("https://example.com/a.png");
        assertThatThrownBy(() -> ReferenceResolver.NONE.resolve("a.png")).hasMessageContaining("URL");
    }
}

package dev.sorabatch.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class ReferenceResolverTest {

    static final byte[] PNG = Base64.getDecoder().decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==");
    public static final String PNG_DATA_URL = "data:image/png;base64," + Base64.getEncoder().encodeToString(PNG);

    private static final ReferencePolicy STRICT = ReferencePolicy.DEFAULT;
    private static final ReferencePolicy OPEN = new ReferencePolicy(Set.of("images.example.com"), Set.of("shared"),
            ReferencePolicy.DEFAULT.maxBytes());

    @TempDir
    Path dir;
    Path inbox;
    ReferenceResolver folder;

    @BeforeEach
    void inbox() throws IOException {
        inbox = Files.createDirectories(dir.resolve("inbox"));
        Files.createDirectories(inbox.resolve("images"));
        Files.write(inbox.resolve("images/cat.png"), PNG);
        folder = ReferenceResolver.folder(inbox);
    }

    @Test
    void folderReferencesResolveToTheirRealPathInsideTheInputFolder() throws IOException {
        assertThat(folder.resolve("images/cat.png", STRICT)).isEqualTo(inbox.resolve("images/cat.png").toRealPath().toString());
        assertThat(folder.resolve("./images/./cat.png", STRICT)).isEqualTo(inbox.resolve("images/cat.png").toRealPath().toString());
        // a link that stays inside the folder is fine
        Files.createSymbolicLink(inbox.resolve("alias.png"), inbox.resolve("images/cat.png"));
        assertThat(folder.resolve("alias.png", STRICT)).isEqualTo(inbox.resolve("images/cat.png").toRealPath().toString());
        assertThat(folder.resolve(PNG_DATA_URL, STRICT)).isEqualTo(PNG_DATA_URL);
        assertThat(folder.resolve("https://images.example.com/a.png", OPEN)).isEqualTo("https://images.example.com/a.png");
    }

    @Test
    void linksLeadingOutOfTheFolderAreRefused() throws IOException {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("secret.png"), "root:x:0:0");
        Files.createSymbolicLink(inbox.resolve("images/link"), outside);
        Files.createSymbolicLink(inbox.resolve("images/passwd.png"), outside.resolve("secret.png"));

        assertThatThrownBy(() -> folder.resolve("images/link/secret.png", STRICT)).hasMessageContaining("inside the input folder");
        assertThatThrownBy(() -> folder.resolve("images/passwd.png", STRICT)).hasMessageContaining("inside the input folder");
    }

    @Test
    void pathsMustBeRelativeExistingRegularFilesWithinTheCap() throws IOException {
        assertThatThrownBy(() -> folder.resolve("../secrets.png", STRICT)).hasMessageContaining("relative");
        assertThatThrownBy(() -> folder.resolve("/etc/passwd", STRICT)).hasMessageContaining("relative");
        assertThatThrownBy(() -> folder.resolve("images/../../x.png", STRICT)).hasMessageContaining("relative");
        assertThatThrownBy(() -> folder.resolve("C:\\Windows\\win.ini", STRICT)).hasMessageContaining("relative");
        assertThatThrownBy(() -> folder.resolve("images/nope.png", STRICT)).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> folder.resolve("images", STRICT)).hasMessageContaining("not a regular file");
        ReferencePolicy tiny = new ReferencePolicy(Set.of(), Set.of(), 10);
        assertThatThrownBy(() -> folder.resolve("images/cat.png", tiny)).hasMessageContaining("larger than 10 bytes");
        assertThatThrownBy(() -> ReferenceResolver.bucket("in", "p/").resolve("../x.png", STRICT)).hasMessageContaining("relative");
    }

    @Test
    void httpUserInfoUnlistedHostsAndOtherSchemesAreRefused() {
        for (ReferenceResolver resolver : new ReferenceResolver[]{folder, ReferenceResolver.bucket("in", ""), ReferenceResolver.NONE}) {
            assertThatThrownBy(() -> resolver.resolve("http://images.example.com/a.png", OPEN)).hasMessageContaining("http://");
            assertThatThrownBy(() -> resolver.resolve("HTTP://images.example.com/a.png", OPEN)).hasMessageContaining("http://");
            assertThatThrownBy(() -> resolver.resolve("https://user:pw@images.example.com/a.png", OPEN))
                    .hasMessageContaining("user name or password").hasMessageNotContaining("pw");
            assertThatThrownBy(() -> resolver.resolve("https://images.example.com@evil.example/a.png", OPEN))
                    .hasMessageContaining("user name or password");
            assertThatThrownBy(() -> resolver.resolve("https://evil.example/a.png", OPEN)).hasMessageContaining("allow-urls");
            assertThatThrownBy(() -> resolver.resolve("https://images.example.com/a.png", STRICT)).hasMessageContaining("allow-urls");
            assertThatThrownBy(() -> resolver.resolve("https://x/a b.png", OPEN)).hasMessageContaining("percent-encoded");
            assertThatThrownBy(() -> resolver.resolve("file:///etc/passwd", OPEN)).hasMessageContaining("not read");
            assertThatThrownBy(() -> resolver.resolve("ftp://images.example.com/a.png", OPEN)).hasMessageContaining("not read");
        }
        assertThat(ReferenceResolver.NONE.resolve("https://Images.Example.COM./a.png", OPEN)).isEqualTo("https://Images.Example.COM./a.png");
        assertThatThrownBy(() -> ReferenceResolver.NONE.resolve("a.png", OPEN)).hasMessageContaining("URL");
    }

    @Test
    void badDataUrlsAreRefused() {
        String notAnImage = "data:image/png;base64," + Base64.getEncoder().encodeToString("<html>".getBytes());
        assertThatThrownBy(() -> folder.resolve("data:;base64,AAAA", STRICT)).hasMessageContaining("image type");
        assertThatThrownBy(() -> folder.resolve("data:image/png;base64,@@@", STRICT)).hasMessageContaining("base64");
        assertThatThrownBy(() -> folder.resolve("data:text/html;base64,PGh0bWw+", STRICT)).hasMessageContaining("image type");
        assertThatThrownBy(() -> folder.resolve("data:image/png,%89PNG", STRICT)).hasMessageContaining("must be base64");
        assertThatThrownBy(() -> folder.resolve("data:image/png;base64", STRICT)).hasMessageContaining("must be base64");
        assertThatThrownBy(() -> folder.resolve(notAnImage, STRICT)).hasMessageContaining("PNG, JPEG, WebP or GIF");
        ReferencePolicy tiny = new ReferencePolicy(Set.of(), Set.of(), 16);
        assertThatThrownBy(() -> folder.resolve(PNG_DATA_URL, tiny)).hasMessageContaining("larger than 16 bytes");
        // base64 broken over lines, as some tools write it, is fine
        String wrapped = "data:image/png;base64," + Base64.getMimeEncoder(16, "\r\n".getBytes()).encodeToString(PNG);
        assertThat(folder.resolve(wrapped, STRICT)).isEqualTo(wrapped);
    }

    @Test
    void bucketReferencesStayInTheInputBucketUnlessListed() {
        ReferenceResolver bucket = ReferenceResolver.bucket("in", "incoming/");
        assertThat(bucket.resolve("images/cat é.png", STRICT)).isEqualTo("s3://in/incoming/images/cat é.png");
        assertThat(bucket.resolve("S3://in/elsewhere/x.png", STRICT)).isEqualTo("s3://in/elsewhere/x.png");
        assertThatThrownBy(() -> bucket.resolve("s3://other/x.png", STRICT)).hasMessageContaining("allow-buckets");
        assertThat(bucket.resolve("s3://shared/x.png", OPEN)).isEqualTo("s3://shared/x.png");
        assertThatThrownBy(() -> bucket.resolve("s3://in/a/../../other/x.png", STRICT)).hasMessageContaining("'..'");
        assertThatThrownBy(() -> bucket.resolve("s3://in", STRICT)).hasMessageContaining("s3://<bucket>/<key>");
    }

    @Test
    void withFolderInputAnS3ReferenceIsNeverALocalPath() {
        assertThatThrownBy(() -> folder.resolve("s3://in/images/cat.png", STRICT)).hasMessageContaining("allow-buckets");
        assertThat(folder.resolve("s3://shared/images/cat.png", OPEN)).isEqualTo("s3://shared/images/cat.png");
    }

    @Test
    void quotedReferencesAreCutShort() {
        String huge = "data:image/png;base64," + "A".repeat(10_000) + "@";
        assertThatThrownBy(() -> folder.resolve("../" + "x".repeat(10_000), STRICT)).message().hasSizeLessThan(200);
        assertThatThrownBy(() -> folder.resolve(huge, STRICT)).message().hasSizeLessThan(200);
    }
}

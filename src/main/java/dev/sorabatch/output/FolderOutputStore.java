package dev.sorabatch.output;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.util.UUID;

/**
 * Output to a local folder: written to a temporary sibling, then renamed into place atomically. The declared length
 * is not needed here.
 */
public class FolderOutputStore implements OutputStore {

    private final Path root;

    public FolderOutputStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public StoredObject write(String batch, String relativePath, InputStream body, long length, String contentType)
            throws IOException {
        Path target = resolve(batch, relativePath);
        Files.createDirectories(target.getParent());
        Path temp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".part");
        DigestInputStream in = new DigestInputStream(body, Hashing.sha256());
        long bytes;
        try (OutputStream out = Files.newOutputStream(temp)) {
            bytes = in.transferTo(out);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return new StoredObject(relativePath, bytes, Hashing.hex(in.getMessageDigest()));
    }

    @Override
    public void check() throws IOException {
        WritableFolder.check(root);
    }

    @Override
    public String location(String batch, String relativePath) {
        return resolve(batch, relativePath).toString();
    }

    private Path resolve(String batch, String relativePath) {
        return root.resolve(OutputPaths.inBatch(batch, relativePath));
    }
}

package dev.sorabatch.output;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Proves at start-up that a folder can be written, by creating it if missing and writing and deleting a small file
 * in it: permissions, a read-only mount, a file in the way and a full disk all show here, with the reason, instead
 * of on the first video an hour into a run.
 */
public final class WritableFolder {

    private WritableFolder() {
    }

    /** @throws IOException saying which folder and why it cannot be written */
    public static void check(Path folder) throws IOException {
        Path dir = folder.toAbsolutePath().normalize();
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IOException(dir + " is a file, not a folder");
        }
        try {
            Files.createDirectories(dir);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("cannot create folder " + dir + ": " + e.getFile() + " is a file");
        } catch (IOException e) {
            throw new IOException("cannot create folder " + dir + ": " + reason(e));
        }
        Path probe = dir.resolve(".write-check-" + UUID.randomUUID());
        try {
            Files.write(probe, new byte[] {'o', 'k'});
        } catch (IOException e) {
            throw new IOException("cannot write in folder " + dir + ": " + reason(e));
        } finally {
            Files.deleteIfExists(probe);
        }
    }

    /** The OS's reason, without the path Java puts in the message, e.g. "Read-only file system". */
    static String reason(IOException e) {
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory, and it cannot be created";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}

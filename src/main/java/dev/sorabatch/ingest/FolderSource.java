package dev.sorabatch.ingest;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.Exchange;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


import dev.sorabatch.store.Batch;
import dev.sorabatch.reference.ReferenceResolver;

/**
 * {@code sora.input=file:<folder>}: prompt files dropped in a local folder (not its sub-folders, which may hold the
 * images that {@code input_reference} names). A file is read once it has stopped changing; after its rows are
 * committed the file consumer moves it to the done folder, or to the error folder with a
 * {@code <name>.error.json} beside it, never over an earlier file of the same name there ({@code name-2.csv}…).
 * The target is handed over in header {@value #ARCHIVE_HEADER}, which the route's {@code move} option reads; this
 * bean is also the consumer's {@code filter}. If the store cannot take the rows, or the file
 * changed while it was read, the file stays where it is and is read again.
 * <p>
 * Several instances may watch one folder (a shared volume). The file consumer's read lock ({@code changed}) and
 * move are per process, and its idempotent repository would have to be shared and leased to be safe, so the store
 * decides instead: the file's identity (real path, size, modification time) is the batch's unique source reference,
 * taken before the file is read. The one instance that takes it reads the file and moves it; another leaves the file
 * where it is ({@link InputHeldException}), and once it is committed treats it as done. A holder that dies lets go
 * when its ingest lease runs out.
 * <p>
 * Only regular files are read: a pipe, device or socket, or a link to one or to nothing, is skipped (one log line),
 * so it can never block the consumer; empty files are taken, and set aside as empty. A link that leads out of the
 * input folder is set aside unread.
 */
public class FolderSource implements InputSource, GenericFileFilter<File> {

    public static final String ARCHIVE_HEADER = "SoraArchiveTo";

    private static final Logger LOG = LoggerFactory.getLogger(FolderSource.class);

    private final BatchIngestor ingestor;
    private final InputEvents events;
    private final Path inbox;
    private final Path doneDir;
    private final Path errorDir;
    /** Names skipped as not regular files, so each is logged once. */
    private final Set<String> skipped = ConcurrentHashMap.newKeySet();

    public FolderSource(BatchIngestor ingestor, InputEvents events, Path inbox, Path doneDir, Path errorDir) {
        this.ingestor = ingestor;
        this.events = events;
        this.inbox = inbox.toAbsolutePath().normalize();
        this.doneDir = doneDir.toAbsolutePath();
        this.errorDir = errorDir.toAbsolutePath();
    }

    /** Regular files only (links are followed here, and judged when read): anything else would block the read lock. */
    @Override
    public boolean accept(GenericFile<File> file) {
        if (file.isDirectory()) {
            return true; // not descended into: the consumer is not recursive
        }
        String name = file.getFileNameOnly();
        if (Files.isRegularFile(file.getFile().toPath())) {
            skipped.remove(name);
            return true;
        }
        if (skipped.add(name)) {
            LOG.warn("Skipped {}: not a regular file (a pipe, device or socket, or a link to one or to nothing)", name);
        }
        return false;
    }

    @Override
    public void ingest(Exchange exchange) throws IOException, SQLException, InputChangedException {
        GenericFile<?> file = exchange.getMessage().getBody(GenericFile.class);
        if (file == null) {
            ingestor.discardAbandoned();
            events.sourceIdle();
            return;
        }
        String name = file.getFileNameOnly();
        Path path = ((File) file.getFile()).toPath();
        try {
            Path real = path.toRealPath();
            if (!real.startsWith(inbox.toRealPath())) {
                throw new BadFileException("the file is a link to a place outside the input folder; links out of it"
                        + " are not followed");
            }
            long size = Files.size(real);
            long modified = Files.getLastModifiedTime(real).toMillis();
            Optional<Batch> batch;
            // what was checked is what is read: a link put in its place meanwhile is not followed
            try (InputStream in = Files.newInputStream(real, LinkOption.NOFOLLOW_LINKS)) {
                batch = ingestor.ingest(name, name, "file:" + real + "#" + size + "-" + modified,
                        ReferenceResolver.folder(inbox), in, () -> unchanged(real, size, modified));
            }
            exchange.getMessage().setHeader(ARCHIVE_HEADER, doneDir.resolve(ArchiveNames.free(name, "", n -> Files.exists(doneDir.resolve(n)))).toString());
            batch.ifPresent(b -> exchange.getMessage().setHeader("SoraBatch", b.name()));
        } catch (BadFileException e) {
            LOG.warn("Set aside {}: {}", name, e.getMessage());
            Files.createDirectories(errorDir);
            String target = ArchiveNames.free(name, ".error.json", n -> Files.exists(errorDir.resolve(n)));
            Files.write(errorDir.resolve(target + ".error.json"),
                    BatchIngestor.errorReport(name, e.getMessage(), "fix the file and drop it in the input folder again"));
            exchange.getMessage().setHeader(ARCHIVE_HEADER, errorDir.resolve(target).toString());
            events.fileSetAside();
        }
    }

    private static boolean unchanged(Path path, long size, long modified) {
        try {
            return Files.size(path) == size && Files.getLastModifiedTime(path).toMillis() == modified;
        } catch (IOException e) {
            return false; // gone or unreadable: not the file that was read
        }
    }
}

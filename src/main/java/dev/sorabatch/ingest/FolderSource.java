package dev.sorabatch.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Optional;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sorabatch.run.RunControl;
import dev.sorabatch.store.Batch;

/**
 * {@code sora.input=file:<folder>}: prompt files dropped in a local folder (not its sub-folders, which may hold the
 * images that {@code input_reference} names). A file is read once it has stopped changing; after its rows are
 * committed the file consumer moves it to the done folder, or to the error folder with a
 * {@code <name>.error.json} beside it. The target is handed over in header {@value #ARCHIVE_HEADER}. If the store
 * cannot take the rows, the file stays where it is and is read again.
 */
public class FolderSource implements InputSource {

    public static final String ARCHIVE_HEADER = "SoraArchiveTo";

    private static final Logger LOG = LoggerFactory.getLogger(FolderSource.class);

    private final BatchIngestor ingestor;
    private final RunControl run;
    private final Path inbox;
    private final Path doneDir;
    private final Path errorDir;
    private final long settleMillis;
    private final Polling polling;

    public FolderSource(BatchIngestor ingestor, RunControl run, Path inbox, Path doneDir, Path errorDir,
                        long settleMillis, Polling polling) {
        this.ingestor = ingestor;
        this.run = run;
        this.inbox = inbox.toAbsolutePath().normalize();
        this.doneDir = doneDir.toAbsolutePath();
        this.errorDir = errorDir.toAbsolutePath();
        this.settleMillis = settleMillis;
        this.polling = polling;
    }

    @Override
    public String endpointUri() {
        return "file:" + inbox + "?readLock=changed&readLockCheckInterval=" + settleMillis + "&readLockMinAge="
                + settleMillis + "&readLockTimeout=0&exclude=RAW(.*\\.(tmp|part|partial|crdownload|swp)$)"
                + "&move=${header." + ARCHIVE_HEADER + "}&" + polling.options();
    }

    @Override
    public void ingest(Exchange exchange) throws IOException, SQLException {
        InputStream body = exchange.getMessage().getBody(InputStream.class);
        if (body == null) {
            run.sourceIdle();
            return;
        }
        String name = exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        try (InputStream in = body) {
            Optional<Batch> batch = ingestor.ingest(name, name, null, ReferenceResolver.folder(inbox), in);
            exchange.getMessage().setHeader(ARCHIVE_HEADER, doneDir.resolve(name).toString());
            batch.ifPresent(b -> exchange.getMessage().setHeader("SoraBatch", b.name()));
        } catch (BadFileException e) {
            LOG.warn("Set aside {}: {}", name, e.getMessage());
            Files.createDirectories(errorDir);
            Files.write(errorDir.resolve(name + ".error.json"),
                    BatchIngestor.errorReport(name, e.getMessage(), "fix the file and drop it in the input folder again"));
            exchange.getMessage().setHeader(ARCHIVE_HEADER, errorDir.resolve(name).toString());
            run.fileSetAside();
        }
    }
}

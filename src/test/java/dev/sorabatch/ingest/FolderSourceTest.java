package dev.sorabatch.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sorabatch.lifecycle.RunControl;
import dev.sorabatch.worker.ProviderGate;
import dev.sorabatch.store.Batch;
import dev.sorabatch.store.JobStore;
import dev.sorabatch.reference.ReferenceResolver;

class FolderSourceTest {

    @TempDir
    Path dir;

    @Test
    void aFileAppendedToWhileItWasReadIsLeftInTheInboxAndReadAgainWhole() throws Exception {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:file:" + dir.resolve("store") + ";WRITE_DELAY=0");
        dataSource.setUser("sa");
        JobStore store = new JobStore(dataSource, java.time.Clock.systemUTC());
        store.migrate();
        Path inbox = Files.createDirectories(dir.resolve("inbox"));
        Path file = Files.writeString(inbox.resolve("slow.csv"), "id,prompt\na,One\nb,Two\nc,Three\n");
        // a slow writer: its next rows land after the file was read, before the batch would open
        BatchIngestor ingestor = new BatchIngestor(store, ValidationRules.defaults(), store.itemColumns(), Batches.LIMITS,
                "test", true, 30_000) {
            private boolean appended;

            @Override
            public Optional<Batch> ingest(String fileName, String source, String sourceRef, ReferenceResolver references,
                                          InputStream in, BooleanSupplier unchanged)
                    throws IOException, SQLException, BadFileException, InputChangedException {
                return super.ingest(fileName, source, sourceRef, references, in, () -> {
                    if (!appended) {
                        appended = true;
                        append(file, "d,Four\ne,Five\n");
                    }
                    return unchanged.getAsBoolean();
                });
            }
        };
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.start();
            FolderSource source = new FolderSource(ingestor, new RunControl(camel, store,
                    new ProviderGate(java.time.Clock.systemUTC()), false), inbox, dir.resolve("done"), dir.resolve("error"));

            Exchange first = delivered(camel, file);
            assertThrows(InputChangedException.class, () -> source.ingest(first));
            assertThat(first.getMessage().getHeader(FolderSource.ARCHIVE_HEADER)).as("not moved").isNull();
            assertThat(store.batches().unfinished()).as("nothing of the first read is kept").isEmpty();

            Exchange second = delivered(camel, file);
            source.ingest(second);
            assertThat(second.getMessage().getHeader(FolderSource.ARCHIVE_HEADER))
                    .isEqualTo(dir.resolve("done/slow.csv").toAbsolutePath().toString());
            assertThat(store.batches().find("slow").orElseThrow().totalItems()).isEqualTo(5);
        }
    }

    /** The exchange the file consumer delivers for a file. */
    private static Exchange delivered(CamelContext camel, Path file) {
        GenericFile<File> generic = new GenericFile<>();
        generic.setFile(file.toFile());
        generic.setFileName(file.getFileName().toString());
        generic.setFileNameOnly(file.getFileName().toString());
        generic.setAbsoluteFilePath(file.toAbsolutePath().toString());
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setBody(generic);
        return exchange;
    }

    private static void append(Path file, String rows) {
        try {
            Files.writeString(file, rows, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

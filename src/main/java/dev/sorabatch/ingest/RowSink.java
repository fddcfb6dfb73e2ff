package dev.sorabatch.ingest;

import java.io.IOException;

/** Receives the requests of a file one at a time, in file order, as {@link RequestReader} reads them. */
@FunctionalInterface
public interface RowSink {

    void accept(RawRow row) throws IOException;
}

package dev.sorabatch;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.main.Main;

import dev.sorabatch.provider.ProviderRegistry;
import dev.sorabatch.simulator.SimulatorServer;
import dev.sorabatch.store.Batch;
import dev.sorabatch.store.Item;
import dev.sorabatch.store.JobStore;

/** The whole pipeline in this JVM, on its own folders and H2 store under {@code dir}, with the built-in simulator. */
final class Pipeline implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    final Path dir;
    private final Main main;

    private Pipeline(Path dir, Main main) {
        this.dir = dir;
        this.main = main;
    }

    /** The fast defaults of {@link TestSettings#fast}, in folders under {@code dir}; {@code overrides} win. */
    static Pipeline start(Path dir, Map<String, String> overrides) throws Exception {
        Map<String, String> props = new LinkedHashMap<>(TestSettings.fast());
        props.put("sora.input", "file:" + dir.resolve("inbox"));
        props.put("sora.input.done", dir.resolve("done").toString());
        props.put("sora.input.error", dir.resolve("error").toString());
        props.put("sora.output", "file:" + dir.resolve("outbox"));
        props.put("sora.data-dir", dir.toString());
        props.put("sora.store.url", "jdbc:h2:file:" + dir.resolve("store/sora") + ";WRITE_DELAY=0");
        props.putAll(overrides);
        Main main = Application.newMain();
        props.forEach(main::addOverrideProperty);
        main.start();
        return new Pipeline(dir, main);
    }

    org.apache.camel.CamelContext camel() {
        return main.getCamelContext();
    }

    SimulatorServer simulator() {
        return main.getCamelContext().getRegistry().lookupByNameAndType("simulator", SimulatorServer.class);
    }

    ProviderRegistry providers() {
        return main.getCamelContext().getRegistry().lookupByNameAndType("providers", ProviderRegistry.class);
    }

    JobStore store() {
        return main.getCamelContext().getRegistry().lookupByNameAndType("jobStore", JobStore.class);
    }

    /** The batch's items as the store has them now; none before the batch is committed. */
    List<Item> items(String batch) throws SQLException {
        List<Item> items = new ArrayList<>();
        Optional<Batch> b = store().batches().find(batch);
        if (b.isPresent()) {
            store().batches().forEachItem(b.get().id(), items::add);
        }
        return items;
    }

    Path inbox() {
        return dir.resolve("inbox");
    }

    Path batchDir(String batch) {
        return dir.resolve("outbox").resolve(batch);
    }

    /** Writes the file beside the inbox and renames it in, as a well-behaved producer would. */
    void drop(String name, String content) throws IOException {
        Path temp = dir.resolve(name + ".writing");
        Files.writeString(temp, content, StandardCharsets.UTF_8);
        Files.createDirectories(inbox());
        Files.move(temp, inbox().resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    JsonNode awaitManifest(String batch, Duration timeout) throws IOException {
        Path manifest = batchDir(batch).resolve("manifest.json");
        await().atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> Files.exists(manifest));
        return JSON.readTree(manifest.toFile());
    }

    @Override
    public void close() throws Exception {
        main.stop();
    }
}

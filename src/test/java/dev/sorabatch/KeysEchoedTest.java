package dev.sorabatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import dev.sorabatch.simulator.SimulatorServer;
import dev.sorabatch.simulator.SimulatorSettings;

/** A provider that repeats the key it was given in its error bodies: the key reaches no log, store or manifest. */
class KeysEchoedTest {

    /** Sent as api-key (Azure style): nothing marks it as a key but being the configured one. */
    private static final String KEY = "Zq7-echoed-fixture-0042";
    private static final String WRONG_KEY = "sk-proj-WrongKeyEchoedBack0042abcd";

    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private OutputStreamAppender<ILoggingEvent> appender;
    private Logger ours;
    private Level oursLevel;

    @BeforeEach
    void captureTheLog() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%level %logger %msg%n%ex");
        encoder.start();
        appender = new OutputStreamAppender<>();
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.setOutputStream(log);
        appender.start();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
        ours = context.getLogger("dev.sorabatch");
        oursLevel = ours.getLevel();
        ours.setLevel(Level.DEBUG);
    }

    @AfterEach
    void stopCapturing() {
        ours.setLevel(oursLevel);
        ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(appender);
        appender.stop();
    }

    private String log() {
        synchronized (log) {
            return log.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void keysEchoedIn5xxBodiesAreRedactedEverywhere(@TempDir Path dir) throws Exception {
        try (SimulatorServer provider = new SimulatorServer(0, new SimulatorSettings().requiredApiKey(KEY).echoKey(true)
                .serverErrorShare(1)).start();
             Pipeline p = Pipeline.start(dir, openAi(provider, KEY, "api-key"))) {
            p.drop("echo.csv", "id,prompt\nlost,A lighthouse in fog\n");

            // every call answers 500 with the key in it: the create is reconciled until the item is uncertain
            String manifest = p.awaitManifest("echo", Duration.ofSeconds(60)).toString();
            assertThat(manifest).contains("\"uncertain\"", "[redacted]").doesNotContain(KEY);
            assertThat(Files.readString(p.batchDir("echo").resolve("manifest.csv"))).contains("[redacted]").doesNotContain(KEY);
            assertThat(store(p)).contains("[redacted]").doesNotContain(KEY);
            assertThat(log()).contains("[redacted]").doesNotContain(KEY);
        }
    }

    @Test
    void aKeyEchoedInA401IsNotLogged(@TempDir Path dir) throws Exception {
        try (SimulatorServer provider = new SimulatorServer(0, new SimulatorSettings().requiredApiKey(KEY).echoKey(true)).start();
             Pipeline p = Pipeline.start(dir, openAi(provider, WRONG_KEY, "Authorization"))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> log().contains("refused the credentials"));
            assertThat(log()).contains("Bearer [redacted]").doesNotContain(WRONG_KEY).doesNotContain("WrongKeyEchoed");
        }
    }

    private static Map<String, String> openAi(SimulatorServer provider, String key, String header) {
        Map<String, String> settings = new HashMap<>(TestSettings.simulatorAt(provider.baseUrl(), key));
        settings.putAll(Map.of("sora.openai.auth-header", header, "sora.reconcile.max-attempts", "2",
                "sora.workers.reconcile-period", "200"));
        return settings;
    }

    /** Everything the store holds, as SQL. */
    private static String store(Pipeline p) throws Exception {
        StringBuilder dump = new StringBuilder();
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + p.dir.resolve("store/sora") + ";WRITE_DELAY=0",
                "sa", ""); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("script")) {
            while (rs.next()) {
                dump.append(rs.getString(1)).append('\n');
            }
        }
        return dump.toString();
    }
}

package dev.sorabatch.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

import dev.sorabatch.settings.Settings;

/**
 * Runs the simulator on its own until the process is killed, e.g.
 * {@code java -Dsora.simulator.generation-min=2s -cp target/sora-batch.jar dev.sorabatch.simulator.SimulatorMain --port 8089};
 * the port may also be given bare and defaults to 8089. Its knobs are the pipeline's {@code sora.simulator.*}
 * settings, read the same way: a system property, else the environment variable ({@code SORA_SIMULATOR_DROP_SHARE}),
 * else the packaged default.
 */
public final class SimulatorMain {

    private static final int DEFAULT_PORT = 8089;

    private SimulatorMain() {
    }

    public static void main(String[] args) throws Exception {
        int port = DEFAULT_PORT;
        for (String arg : args) {
            if (!arg.equals("--port")) {
                port = Integer.parseInt(arg);
            }
        }
        SimulatorServer server = new SimulatorServer(port, SimulatorSettings.from(settings())).start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "simulator-shutdown"));
        for (SimulatorApi api : SimulatorApi.values()) {
            System.out.println("Simulator " + api.name().toLowerCase(Locale.ROOT) + " face at " + server.baseUrl(api));
        }
        Thread.currentThread().join();
    }

    static Settings settings() throws IOException {
        Properties defaults = new Properties();
        try (InputStream in = SimulatorMain.class.getResourceAsStream("/application.properties")) {
            if (in != null) {
                defaults.load(in);
            }
        }
        return new Settings(key -> Optional.ofNullable(System.getProperty(key))
                .or(() -> Optional.ofNullable(System.getenv(key.toUpperCase(Locale.ROOT).replaceAll("[.-]", "_"))))
                .or(() -> Optional.ofNullable(defaults.getProperty(key))));
    }
}

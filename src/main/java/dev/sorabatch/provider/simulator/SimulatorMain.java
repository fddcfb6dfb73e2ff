package dev.sorabatch.provider.simulator;

/**
 * Runs the simulator on its own until the process is killed, e.g.
 * {@code java -Dsim.generation=2s..5s -cp target/sora-batch.jar dev.sorabatch.provider.simulator.SimulatorMain --port 8089};
 * the port may also be given bare and defaults to 8089. Knobs: see {@link SimulatorSettings#fromProperties}.
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
        SimulatorServer server = new SimulatorServer(port, SimulatorSettings.fromProperties(System.getProperties())).start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "simulator-shutdown"));
        System.out.println("Simulator listening on " + server.baseUrl());
        Thread.currentThread().join();
    }
}

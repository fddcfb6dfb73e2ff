package dev.sorabatch;

import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;

import dev.sorabatch.provider.openai.OpenAiSettings;
import dev.sorabatch.provider.openai.OpenAiVideoProvider;
import dev.sorabatch.simulator.SimulatorServer;
import dev.sorabatch.simulator.SimulatorSettings;

/** The built-in simulator on loopback and the OpenAI adapter talking to it over HTTP, as the pipeline has them. */
public final class SimulatedProvider implements AutoCloseable {

    public final SimulatorServer server;
    public final CamelContext camel;
    public final OpenAiVideoProvider provider;

    public SimulatedProvider(SimulatorSettings settings) throws Exception {
        this(settings, "key", Map.of());
    }

    public SimulatedProvider(SimulatorSettings settings, String apiKey, Map<String, String> modelMap) throws Exception {
        server = new SimulatorServer(0, settings).start();
        camel = new DefaultCamelContext();
        camel.start();
        provider = new OpenAiVideoProvider(camel, OpenAiSettings.simulator(server.baseUrl(), apiKey, modelMap));
    }

    @Override
    public void close() throws Exception {
        camel.close();
        server.close();
    }
}

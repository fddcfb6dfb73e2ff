package dev.sorabatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;

/**
 * The deployment files a user applies as they are (docker-compose.yml, deploy/kubernetes/) name only settings the
 * pipeline reads and probe only paths its HTTP server serves: a renamed setting or route would otherwise leave them
 * silently ignored or every pod failing its probes.
 */
class DeploymentFilesTest {

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Path KUBERNETES = Path.of("deploy/kubernetes");
    /** Variables read by the libraries, not sora.* settings. */
    private static final Set<String> NOT_SETTINGS = Set.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");

    @Test
    void everySoraVariableInTheManifestsAndComposeFileIsASetting() throws IOException {
        Set<String> settings = settingVariables();
        List<String> named = new ArrayList<>();
        for (JsonNode doc : documents()) {
            collectVariables(doc, named);
        }
        assertThat(named).as("variables found").contains("SORA_STORE_URL", "SORA_STORE_PASSWORD", "SORA_INSTANCE_ID");
        assertThat(named.stream().filter(v -> v.startsWith("SORA_")).filter(v -> !settings.contains(v)).toList())
                .as("SORA_* variables that match no setting of config/application.properties").isEmpty();
    }

    @Test
    void probesAskPathsTheHttpServerServes() throws IOException {
        Set<String> served = new HashSet<>();
        for (JsonNode route : YAML.readTree(Path.of("routes/http.yaml").toFile())) {
            served.add(route.path("route").path("from").path("uri").asText().replace("platform-http:", ""));
        }
        JsonNode container = kubernetes("deployment.yaml").get(0).at("/spec/template/spec/containers/0");
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            assertThat(served).as(probe).contains(container.at("/" + probe + "/httpGet/path").asText());
        }
        assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/observe/health/ready");
    }

    @Test
    void theCronJobRunsInOnceModeWithoutRetriesThatCouldPayTwice() throws IOException {
        JsonNode cron = kubernetes("cronjob.yaml").get(0);
        assertThat(cron.at("/spec/concurrencyPolicy").asText()).isEqualTo("Forbid");
        assertThat(cron.at("/spec/jobTemplate/spec/backoffLimit").asInt(-1)).isZero();
        List<String> once = new ArrayList<>();
        cron.at("/spec/jobTemplate/spec/template/spec/containers/0/env").forEach(e -> {
            if (e.path("name").asText().equals("SORA_ONCE")) {
                once.add(e.path("value").asText());
            }
        });
        assertThat(once).containsExactly("true");
    }

    @Test
    void theSharedStoreIsPostgresqlInEveryScaledOutSetUp() throws IOException {
        assertThat(kubernetes("configmap.yaml").get(0).at("/data/SORA_STORE_URL").asText()).startsWith("jdbc:postgresql://");
        JsonNode compose = YAML.readTree(Path.of("docker-compose.yml").toFile());
        assertThat(compose.at("/services/app/environment/SORA_STORE_URL").asText()).startsWith("jdbc:postgresql://");
        assertThat(compose.at("/services/app/ports").isMissingNode()).as("replicas publish no fixed host port").isTrue();
    }

    /** The environment variable of each setting, as Camel's properties component looks it up. */
    private static Set<String> settingVariables() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("config/application.properties"))) {
            properties.load(in);
        }
        return properties.stringPropertyNames().stream()
                .map(key -> key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'))
                .collect(Collectors.toSet());
    }

    private static void collectVariables(JsonNode node, List<String> names) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> {
                if (field.getKey().equals("environment") || field.getKey().equals("data")
                        || field.getKey().equals("stringData")) {
                    field.getValue().fieldNames().forEachRemaining(names::add);
                }
                if (field.getKey().equals("env")) {
                    field.getValue().forEach(e -> names.add(e.path("name").asText()));
                }
                collectVariables(field.getValue(), names);
            });
        } else if (node.isArray()) {
            node.forEach(child -> collectVariables(child, names));
        }
        names.removeIf(NOT_SETTINGS::contains);
    }

    private static List<JsonNode> documents() throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        // the pipeline's service only: the others (emulator set-up, database) have variables of their own
        docs.add(YAML.readTree(Path.of("docker-compose.yml").toFile()).at("/services/app"));
        try (Stream<Path> files = Files.list(KUBERNETES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                docs.addAll(kubernetes(file.getFileName().toString()));
            }
        }
        return docs;
    }

    private static List<JsonNode> kubernetes(String file) throws IOException {
        try (MappingIterator<JsonNode> it = YAML.readValues(YAML.createParser(KUBERNETES.resolve(file).toFile()),
                JsonNode.class)) {
            return it.readAll();
        }
    }
}

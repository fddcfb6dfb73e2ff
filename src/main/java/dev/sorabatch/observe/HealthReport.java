package dev.sorabatch.observe;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;

/**
 * {@code /observe/health}: the results of Camel's health checks (its own and the pipeline's {@link ReadinessCheck}s)
 * as JSON, with HTTP 503 when any is down, so a load balancer or Kubernetes probe reads the status code alone.
 */
public final class HealthReport {

    private final CamelContext camel;

    public HealthReport(CamelContext camel) {
        this.camel = camel;
    }

    /** Liveness and readiness together. */
    public String all(Exchange exchange) throws JsonProcessingException {
        return answer(exchange, HealthCheckHelper.invoke(camel));
    }

    public String live(Exchange exchange) throws JsonProcessingException {
        return answer(exchange, HealthCheckHelper.invokeLiveness(camel));
    }

    public String ready(Exchange exchange) throws JsonProcessingException {
        return answer(exchange, HealthCheckHelper.invokeReadiness(camel));
    }

    private static String answer(Exchange exchange, Collection<HealthCheck.Result> results)
            throws JsonProcessingException {
        boolean up = results.stream().allMatch(r -> r.getState() != HealthCheck.State.DOWN);
        List<Map<String, Object>> checks = results.stream().map(HealthReport::check).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "UP" : "DOWN");
        body.put("checks", checks);
        return HttpAnswer.json(exchange, up ? 200 : 503, body);
    }

    private static Map<String, Object> check(HealthCheck.Result r) {
        Map<String, Object> check = new LinkedHashMap<>();
        check.put("name", r.getCheck().getId());
        check.put("status", r.getState().name());
        r.getMessage().ifPresent(m -> check.put("message", m));
        return check;
    }
}

package dev.sorabatch.api;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.apache.camel.Exchange;

import dev.sorabatch.observe.HttpAnswer;

/**
 * The batch API over HTTP ({@code routes/http.yaml}): {@link BatchOperations} with JSON answers and status codes.
 * Cancel and retry need the bearer token ({@link ApiToken}); a refused call changes nothing.
 */
public final class BatchApi {

    private final BatchOperations operations;
    private final ApiToken token;

    public BatchApi(BatchOperations operations, ApiToken token) {
        this.operations = operations;
        this.token = token;
    }

    /** {@code GET /api/batches} */
    public String list(Exchange exchange) throws SQLException, JsonProcessingException {
        return json(exchange, 200, operations.batches());
    }

    /** {@code GET /api/batches/{id}} */
    public String get(Exchange exchange) throws SQLException, JsonProcessingException {
        return answer(exchange, false, () -> operations.batch(id(exchange)));
    }

    /** {@code POST /api/batches/{id}/cancel} */
    public String cancel(Exchange exchange) throws SQLException, JsonProcessingException {
        return answer(exchange, true, () -> operations.cancel(id(exchange)));
    }

    /** {@code POST /api/batches/{id}/retry?status=failed,expired,uncertain} */
    public String retry(Exchange exchange) throws SQLException, JsonProcessingException {
        return answer(exchange, true, () -> {
            String status = exchange.getMessage().getHeader("status", String.class);
            return operations.retry(id(exchange), BatchOperations.retryStates(
                    status == null ? List.of() : List.of(status)));
        });
    }

    private interface Call {
        Object run() throws SQLException, BatchOperations.Refused;
    }

    private String answer(Exchange exchange, boolean mutating, Call call) throws SQLException, JsonProcessingException {
        if (mutating) {
            ApiToken.Refusal refusal = token.check(exchange.getMessage().getHeader("Authorization", String.class));
            if (refusal != null) {
                if (refusal.status() == 401) {
                    exchange.getMessage().setHeader("WWW-Authenticate", "Bearer");
                }
                return json(exchange, refusal.status(), Map.of("error", refusal.message()));
            }
        }
        try {
            return json(exchange, 200, call.run());
        } catch (BatchOperations.Refused e) {
            return json(exchange, e.status(), Map.of("error", e.getMessage()));
        }
    }

    private static String id(Exchange exchange) {
        return exchange.getMessage().getHeader("id", String.class);
    }

    private static String json(Exchange exchange, int status, Object body) throws JsonProcessingException {
        return HttpAnswer.json(exchange, status, body);
    }
}

package dev.sorabatch.observe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/** A JSON answer of the embedded HTTP server, with its status code and nothing of the request echoed back. */
public final class HttpAnswer {

    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpAnswer() {
    }

    /** Sets the status and content type and returns {@code body} as JSON, for the route to send. */
    public static String json(Exchange exchange, int status, Object body) throws JsonProcessingException {
        return text(exchange, status, "application/json", JSON.writeValueAsString(body));
    }

    /** Sets the status and content type and returns {@code body}, for the route to send. */
    public static String text(Exchange exchange, int status, String contentType, String body) {
        Message m = exchange.getMessage();
        // only what the answer sets goes back: the request's headers (an Authorization among them) never do
        m.removeHeaders("*", "WWW-Authenticate");
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        m.setHeader(Exchange.CONTENT_TYPE, contentType);
        return body;
    }
}

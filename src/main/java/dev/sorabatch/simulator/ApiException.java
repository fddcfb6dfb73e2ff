package dev.sorabatch.simulator;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A refused request; thrown anywhere below the router and written once, by the face the request came to, in that
 * face's error shape. The fields follow OpenAI's envelope, the richest of them; other faces use code and message.
 */
final class ApiException extends RuntimeException {

    private final int status;
    private final String type;
    private final String param;
    private final String code;
    private final Map<String, String> headers = new LinkedHashMap<>();

    ApiException(int status, String type, String param, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
    }

    static ApiException invalid(String param, String code, String message) {
        return new ApiException(400, "invalid_request_error", param, code, message);
    }

    static ApiException notFound(String code, String message) {
        return new ApiException(404, "invalid_request_error", null, code, message);
    }

    ApiException header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    String param() {
        return param;
    }

    Map<String, String> headers() {
        return headers;
    }

    /** @param appended added to the message */
    Wire.ErrorEnvelope envelope(String appended) {
        return new Wire.ErrorEnvelope(new Wire.ErrorBody(getMessage() + appended, type, param, code));
    }
}

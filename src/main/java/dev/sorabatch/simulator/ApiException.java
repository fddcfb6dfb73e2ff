package dev.sorabatch.simulator;

import java.util.LinkedHashMap;
import java.util.Map;

/** A request refused with an OpenAI error envelope; thrown anywhere below the router, written once by it. */
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

    Map<String, String> headers() {
        return headers;
    }

    /** @param appended added to the message */
    Wire.ErrorEnvelope envelope(String appended) {
        return new Wire.ErrorEnvelope(new Wire.ErrorBody(getMessage() + appended, type, param, code));
    }
}

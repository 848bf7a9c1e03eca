package dev.greenlight.errors;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.greenlight.json.Json;

/** The one place that turns a Greenlight error into an HTTP status and a JSON body. */
public final class ErrorMapper {
    private ErrorMapper() {
    }

    /** A status and a body {@code {"error": code, "detail": detail}}. */
    public record HttpError(int status, String body) {
    }

    public static HttpError map(GreenlightException e) {
        return new HttpError(status(e.kind()), body(e.code(), e.detail()));
    }

    public static int status(GreenlightException.Kind kind) {
        switch (kind) {
            case BAD_REQUEST:
                return 400;
            case UNAUTHORIZED:
                return 401;
            case NOT_FOUND:
                return 404;
            case CONFLICT:
                return 409;
            case PAYLOAD_TOO_LARGE:
                return 413;
            case UNAVAILABLE:
                return 503;
        }
        throw new AssertionError(kind);
    }

    public static String body(String code, String detail) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("error", code);
        node.put("detail", detail);
        return node.toString();
    }
}

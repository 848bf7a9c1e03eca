package dev.greenlight.errors;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.greenlight.json.Json;

/**
 * The one place that turns a failure into an HTTP status and a JSON body
 * {@code {"error": code, "detail": detail}}: a {@link GreenlightException} by its kind, anything
 * else as 500 {@code internal} (a bug: the body names only what failed, the log has the rest).
 */
public final class ErrorMapper {
    /** The code of a failure outside the hierarchy. */
    public static final String INTERNAL = "internal";

    private ErrorMapper() {
    }

    /** A status and a body {@code {"error": code, "detail": detail}}. */
    public record HttpError(int status, String body) {
    }

    public static HttpError map(GreenlightException e) {
        return new HttpError(status(e.kind()), body(e.code(), e.detail()));
    }

    /** A failure outside the hierarchy, in {@code what} (e.g. the function's name). */
    public static HttpError internal(String what) {
        return new HttpError(500, body(INTERNAL, what + " failed"));
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
            case MISCONFIGURED:
                return 500;
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

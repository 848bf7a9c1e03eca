package dev.greenlight.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatusType;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.greenlight.errors.BadRequest;
import dev.greenlight.json.Json;
import dev.greenlight.errors.ErrorMapper;
import dev.greenlight.errors.GreenlightException;
import dev.greenlight.errors.PayloadTooLarge;
import dev.greenlight.serving.ModelAnswer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Level;

/** What every HTTP function shares: body limits, model-answer headers and error mapping. */
final class Http {
    static final String MODEL_VERSION = "x-model-version";

    private Http() {
    }

    /**
     * Runs {@code action}, turning failures into their status and JSON body through the one
     * {@link ErrorMapper}. A bad setting is logged as one line (every call meets it until it is
     * fixed); an outage is logged once by the adapter that saw it; only a failure outside the
     * hierarchy, a bug, is logged with its stack trace.
     */
    static HttpResponseMessage handle(HttpRequestMessage<Optional<String>> request, ExecutionContext context,
                                      Supplier<HttpResponseMessage> action) {
        ErrorMapper.HttpError error;
        try {
            return action.get();
        } catch (GreenlightException e) {
            if (e.kind() == GreenlightException.Kind.MISCONFIGURED) {
                context.getLogger().severe(e.code() + ": " + e.detail());
            }
            error = ErrorMapper.map(e);
        } catch (RuntimeException e) {
            context.getLogger().log(Level.SEVERE, context.getFunctionName() + " failed", e);
            error = ErrorMapper.internal(context.getFunctionName());
        }
        return json(request, error.status(), error.body());
    }

    /** The request body, refused with 413 when it exceeds {@code maxBytes}. */
    static String body(HttpRequestMessage<Optional<String>> request, long maxBytes) {
        String declared = header(request.getHeaders(), "content-length");
        if (declared != null) {
            try {
                if (Long.parseLong(declared.trim()) > maxBytes) {
                    throw tooLarge(maxBytes);
                }
            } catch (NumberFormatException e) {
                // The host already framed the body; measure it below instead.
            }
        }
        String body = request.getBody().orElse("");
        // A char is at least one UTF-8 byte and at most three: only measure exactly when it matters.
        if (body.length() > maxBytes
                || (body.length() * 3L > maxBytes && body.getBytes(StandardCharsets.UTF_8).length > maxBytes)) {
            throw tooLarge(maxBytes);
        }
        return body;
    }

    /** The body as a JSON object, with the same limits and errors as every other route. */
    static JsonNode jsonBody(HttpRequestMessage<Optional<String>> request, long maxBytes) {
        String body = body(request, maxBytes);
        try {
            JsonNode node = Json.MAPPER.readTree(body.isBlank() ? "{}" : body);
            if (!node.isObject()) {
                throw new BadRequest("malformed_json", "the request body must be a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new BadRequest("malformed_json", "the request body is not valid JSON");
        }
    }

    /** A required text field of a JSON body. */
    static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || !value.isValueNode() || value.asText().isBlank()) {
            throw new BadRequest("missing_field", "the body needs \"" + field + "\"");
        }
        return value.asText();
    }

    /** Who asked, for the decision record: the caller's address, never a key. */
    static String actor(HttpRequestMessage<?> request) {
        String forwarded = header(request.getHeaders(), "x-forwarded-for");
        return "http:" + (forwarded != null ? forwarded.split(",")[0].trim() : "admin");
    }

    private static PayloadTooLarge tooLarge(long maxBytes) {
        return new PayloadTooLarge("payload_too_large", "the request body exceeds GREENLIGHT_MAX_BODY ("
                + maxBytes + " bytes)");
    }

    static HttpResponseMessage answer(HttpRequestMessage<?> request, ModelAnswer answer) {
        return request.createResponseBuilder(HttpStatusType.custom(200))
                .header("Content-Type", "application/json")
                .header(MODEL_VERSION, answer.version())
                .header("x-model-name", answer.model())
                .body(answer.body().toString())
                .build();
    }

    static HttpResponseMessage json(HttpRequestMessage<?> request, int status, String body) {
        return request.createResponseBuilder(HttpStatusType.custom(status))
                .header("Content-Type", "application/json")
                .body(body)
                .build();
    }

    static String header(Map<String, String> headers, String name) {
        for (Map.Entry<String, String> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }
}

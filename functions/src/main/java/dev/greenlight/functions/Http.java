package dev.greenlight.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatusType;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.greenlight.errors.BadRequest;
import dev.greenlight.errors.ClientValue;
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
        if (request.getHttpMethod() == HttpMethod.POST) {
            String type = header(request.getHeaders(), "content-type");
            if (!takesJson(type)) {
                return json(request, 415, ErrorMapper.body("unsupported_media_type", "the request body must be JSON"
                        + " (Content-Type: application/json), was '" + ClientValue.clip(type) + "'"));
            }
        }
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

    /**
     * Whether a POST body of this Content-Type is read as JSON: {@code application/json} and
     * {@code application/*+json} (any parameters), {@code *}{@code /*}, none at all, and
     * {@code application/x-www-form-urlencoded}, which curl sends for {@code -d} unless told
     * otherwise (the README's examples rely on it). Anything else (XML, octet streams,
     * multipart forms, plain text) is a client mistake, answered 415.
     */
    static boolean takesJson(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return true;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim()
                .toLowerCase(java.util.Locale.ROOT);
        return type.equals("application/json") || (type.startsWith("application/") && type.endsWith("+json"))
                || type.equals("*/*") || type.equals("application/x-www-form-urlencoded");
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

    /**
     * Who asked, for the decision record, never a key: the signed-in principal where Azure's
     * authentication gives one ({@code x-ms-client-principal-name}), else the name the caller
     * declares ({@code x-greenlight-actor}, as the CLI sends {@code cli:user@host}), then the address.
     */
    static String actor(HttpRequestMessage<?> request) {
        String principal = header(request.getHeaders(), "x-ms-client-principal-name");
        String declared = header(request.getHeaders(), "x-greenlight-actor");
        String forwarded = header(request.getHeaders(), "x-forwarded-for");
        String who = principal != null ? "principal:" + principal : declared != null ? declared : "admin";
        return "http:" + printable(who) + (forwarded != null ? " from " + printable(forwarded.split(",")[0].trim()) : "");
    }

    private static String printable(String text) {
        String kept = text.replaceAll("[^A-Za-z0-9@._:/\\-]", "_");
        return kept.length() <= 100 ? kept : kept.substring(0, 100);
    }

    /** An optional text field of a JSON body. */
    static Optional<String> optionalText(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new BadRequest("invalid_field", "\"" + field + "\" must be a non-empty string");
        }
        return Optional.of(value.asText());
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

package dev.greenlight.local.host;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.azure.functions.HttpResponseMessage;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns what an HTTP function returned into the reply, as the worker does: status, headers and
 * body of its {@code HttpResponseMessage}; a String body as UTF-8, a byte[] as is, any other
 * object as JSON. When the function set no Content-Type, a body that looks like JSON (starts
 * with { or [) is sent as JSON, other text as text/plain, other bytes as octet-stream.
 */
final class ResponseMapper {

    // Framing is the server's job: a function's own values for these would corrupt the exchange.
    private static final Set<String> FRAMING = Set.of("content-length", "transfer-encoding", "connection");

    private final ObjectMapper json = new ObjectMapper();

    HttpReply toReply(Object result) throws JsonProcessingException {
        if (result == null) {
            return HttpReply.empty(204);
        }
        if (!(result instanceof HttpResponseMessage response)) {
            return reply(200, new LinkedHashMap<>(), result);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        if (response instanceof LocalHttpResponse local) {
            local.headers().forEach((name, value) -> {
                if (!FRAMING.contains(name.toLowerCase(Locale.ROOT))) {
                    headers.put(name, value);
                }
            });
        } else {
            // A response type the host did not build: only what the interface exposes.
            String contentType = response.getHeader("Content-Type");
            if (contentType != null) {
                headers.put("Content-Type", contentType);
            }
        }
        return reply(response.getStatusCode(), headers, response.getBody());
    }

    private HttpReply reply(int status, Map<String, String> headers, Object body) throws JsonProcessingException {
        byte[] bytes;
        String defaultType;
        if (body == null) {
            return new HttpReply(status, headers, null);
        } else if (body instanceof byte[] b) {
            bytes = b;
            defaultType = looksLikeJson(b) ? HttpReply.JSON : "application/octet-stream";
        } else if (body instanceof CharSequence s) {
            bytes = s.toString().getBytes(StandardCharsets.UTF_8);
            defaultType = looksLikeJson(bytes) ? HttpReply.JSON : HttpReply.TEXT;
        } else {
            bytes = json.writeValueAsBytes(body);
            defaultType = HttpReply.JSON;
        }
        if (bytes.length > 0 && !hasContentType(headers)) {
            headers.put("Content-Type", defaultType);
        }
        return new HttpReply(status, headers, bytes);
    }

    private static boolean hasContentType(Map<String, String> headers) {
        return headers.keySet().stream().anyMatch("Content-Type"::equalsIgnoreCase);
    }

    private static boolean looksLikeJson(byte[] b) {
        for (byte c : b) {
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                continue;
            }
            return c == '{' || c == '[';
        }
        return false;
    }
}

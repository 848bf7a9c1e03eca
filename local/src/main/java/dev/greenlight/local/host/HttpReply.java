package dev.greenlight.local.host;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A response ready to send: status, headers and body bytes. Also the one place that shapes the
 * host's own errors as {@code {"error": "...", "detail": "..."}}.
 */
record HttpReply(int status, Map<String, String> headers, byte[] body) {

    static final String JSON = "application/json; charset=utf-8";
    static final String TEXT = "text/plain; charset=utf-8";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    HttpReply {
        headers = Map.copyOf(headers);
        body = body == null ? new byte[0] : body;
    }

    static HttpReply empty(int status) {
        return new HttpReply(status, Map.of(), null);
    }

    static HttpReply json(int status, String json) {
        return new HttpReply(status, Map.of("Content-Type", JSON), json.getBytes(StandardCharsets.UTF_8));
    }

    /** A host error: {@code error} is a stable code, {@code detail} says what was wrong for a person. */
    static HttpReply error(int status, String error, String detail) {
        ObjectNode node = MAPPER.createObjectNode().put("error", error).put("detail", detail);
        return json(status, node.toString());
    }

    static HttpReply notFound(String detail) {
        return error(404, "not_found", detail);
    }

    static HttpReply badRequest(String detail) {
        return error(400, "bad_request", detail);
    }

    static HttpReply unauthorized(String detail) {
        return error(401, "unauthorized", detail);
    }

    static HttpReply payloadTooLarge(long limit) {
        return error(413, "payload_too_large", "the request body is larger than " + limit + " bytes");
    }

    static HttpReply internal(String detail) {
        return error(500, "internal", detail);
    }

    HttpReply withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new HttpReply(status, h, body);
    }

    /** Writes this reply; a HEAD request or a 204/304 gets no body. */
    void send(HttpExchange exchange) throws IOException {
        Headers out = exchange.getResponseHeaders();
        for (Map.Entry<String, String> h : headers.entrySet()) {
            out.set(h.getKey(), h.getValue());
        }
        boolean noBody = body.length == 0 || status == 204 || status == 304
                || "HEAD".equalsIgnoreCase(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, noBody ? -1 : body.length);
        if (!noBody) {
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(body);
            }
        }
    }
}

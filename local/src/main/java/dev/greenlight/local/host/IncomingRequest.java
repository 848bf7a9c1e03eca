package dev.greenlight.local.host;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The reading side of one exchange: method, path segments, query, headers, and the body read
 * at most once and never past the size cap. Query and header maps are built on first use.
 */
final class IncomingRequest {

    /** The body would exceed the cap; the host answers 413 without reading the rest. */
    static final class TooLargeException extends Exception {
        private static final long serialVersionUID = 1L;

        TooLargeException() {
            super(null, null, false, false);
        }
    }

    private final HttpExchange exchange;
    private final String method;
    private final String rawPath;
    private final String[] path;
    private final long maxBodyBytes;
    private Map<String, String> query;
    private Map<String, String> headers;

    IncomingRequest(HttpExchange exchange, long maxBodyBytes) {
        this.exchange = exchange;
        String m = exchange.getRequestMethod();
        this.method = m.toUpperCase(Locale.ROOT);
        this.rawPath = exchange.getRequestURI().getRawPath();
        this.path = RouteTemplate.splitPath(rawPath == null ? "/" : rawPath);
        this.maxBodyBytes = maxBodyBytes;
    }

    String method() {
        return method;
    }

    /** The path as sent, without the query (the query may carry a key). */
    String rawPath() {
        return rawPath;
    }

    /** The decoded, non-empty path segments. */
    String[] path() {
        return path;
    }

    /** The first value of a header, by name in any case. */
    String header(String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    /** The decoded query parameters; a repeated name keeps its values joined by commas. */
    Map<String, String> query() {
        if (query == null) {
            query = parseQuery(exchange.getRequestURI().getRawQuery());
        }
        return query;
    }

    /** The headers with lower-case names, looked up ignoring case; repeated values joined by ", ". */
    Map<String, String> headers() {
        if (headers == null) {
            Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (Map.Entry<String, List<String>> e : exchange.getRequestHeaders().entrySet()) {
                h.put(e.getKey().toLowerCase(Locale.ROOT), String.join(", ", e.getValue()));
            }
            headers = Collections.unmodifiableMap(h);
        }
        return headers;
    }

    /** The key the caller presented: {@code ?code=} or the {@code x-functions-key} header. */
    String presentedKey() {
        String code = query().get("code");
        return code != null ? code : header("x-functions-key");
    }

    /** The full request URL as the function sees it. */
    String url(int port) {
        String host = header("Host");
        String rawQuery = exchange.getRequestURI().getRawQuery();
        return "http://" + (host == null || host.isBlank() ? "localhost:" + port : host) + rawPath
                + (rawQuery == null ? "" : "?" + rawQuery);
    }

    /**
     * Reads the whole body.
     *
     * @throws TooLargeException when Content-Length says, or the stream shows, it is over the cap
     */
    byte[] body() throws IOException, TooLargeException {
        String length = header("Content-Length");
        InputStream in = exchange.getRequestBody();
        if (length != null) {
            long declared;
            try {
                declared = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                declared = -1;
            }
            if (declared > maxBodyBytes) {
                throw new TooLargeException();
            }
            if (declared >= 0) {
                return in.readNBytes((int) declared);
            }
        }
        byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
        if (bytes.length > maxBodyBytes) {
            throw new TooLargeException();
        }
        return bytes;
    }

    private static Map<String, String> parseQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            out.merge(name, value, (a, b) -> a + "," + b);
        }
        return Collections.unmodifiableMap(out);
    }

    private static String decode(String s) {
        if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
            return s;
        }
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s; // a malformed escape: keep the text as sent
        }
    }
}

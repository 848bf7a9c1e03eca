package dev.greenlight.local.host;

import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.HttpStatusType;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** The response a function builds with {@code request.createResponseBuilder(status)}. */
final class LocalHttpResponse implements HttpResponseMessage {

    private final HttpStatusType status;
    private final Map<String, String> headers;
    private final Object body;

    private LocalHttpResponse(HttpStatusType status, Map<String, String> headers, Object body) {
        this.status = status;
        this.headers = Collections.unmodifiableMap(headers);
        this.body = body;
    }

    @Override
    public HttpStatusType getStatus() {
        return status;
    }

    @Override
    public String getHeader(String name) {
        return headers.get(name);
    }

    /** Every header the function set; names keep the case first given, lookups ignore case. */
    Map<String, String> headers() {
        return headers;
    }

    @Override
    public Object getBody() {
        return body;
    }

    /** The builder behind {@code createResponseBuilder}; not thread-safe, like the worker's. */
    static final class Builder implements HttpResponseMessage.Builder {

        private HttpStatusType status = HttpStatus.OK;
        private final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        private Object body;

        @Override
        public Builder status(HttpStatusType status) {
            this.status = Objects.requireNonNull(status, "status");
            return this;
        }

        @Override
        public Builder header(String name, String value) {
            Objects.requireNonNull(name, "header name");
            if (value == null) {
                headers.remove(name);
            } else {
                headers.put(name, value);
            }
            return this;
        }

        @Override
        public Builder body(Object body) {
            this.body = body;
            return this;
        }

        @Override
        public LocalHttpResponse build() {
            return new LocalHttpResponse(status, new TreeMap<>(headers), body);
        }
    }
}

package dev.greenlight.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.HttpStatusType;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/** The worker's side of an HTTP invocation, as the function classes see it: a request, its response, a context. */
final class FakeHttp {
    private FakeHttp() {
    }

    static Request get(String path, Map<String, String> query) {
        return new Request(HttpMethod.GET, path, query, null);
    }

    static Request post(String path, String body) {
        return new Request(HttpMethod.POST, path, Map.of(), body);
    }

    static ExecutionContext context(String functionName) {
        Logger logger = Logger.getLogger("Function." + functionName);
        return new ExecutionContext() {
            @Override
            public Logger getLogger() {
                return logger;
            }

            @Override
            public String getInvocationId() {
                return "test-invocation";
            }

            @Override
            public String getFunctionName() {
                return functionName;
            }
        };
    }

    static final class Request implements HttpRequestMessage<Optional<String>> {
        private final HttpMethod method;
        private final String path;
        private final Map<String, String> query;
        private final String body;

        Request(HttpMethod method, String path, Map<String, String> query, String body) {
            this.method = method;
            this.path = path;
            this.query = Map.copyOf(query);
            this.body = body;
        }

        @Override
        public URI getUri() {
            return URI.create("http://localhost:7071" + path);
        }

        @Override
        public HttpMethod getHttpMethod() {
            return method;
        }

        @Override
        public Map<String, String> getHeaders() {
            return body == null ? Map.of() : Map.of("content-type", "application/json");
        }

        @Override
        public Map<String, String> getQueryParameters() {
            return query;
        }

        @Override
        public Optional<String> getBody() {
            return Optional.ofNullable(body);
        }

        @Override
        public HttpResponseMessage.Builder createResponseBuilder(HttpStatus status) {
            return new Response.Builder().status(status);
        }

        @Override
        public HttpResponseMessage.Builder createResponseBuilder(HttpStatusType status) {
            return new Response.Builder().status(status);
        }
    }

    static final class Response implements HttpResponseMessage {
        private final HttpStatusType status;
        private final Map<String, String> headers;
        private final Object body;

        private Response(HttpStatusType status, Map<String, String> headers, Object body) {
            this.status = status;
            this.headers = headers;
            this.body = body;
        }

        @Override
        public HttpStatusType getStatus() {
            return status;
        }

        @Override
        public String getHeader(String name) {
            return headers.get(name.toLowerCase());
        }

        @Override
        public Object getBody() {
            return body;
        }

        static final class Builder implements HttpResponseMessage.Builder {
            private HttpStatusType status = HttpStatus.OK;
            private final Map<String, String> headers = new HashMap<>();
            private Object body;

            @Override
            public Builder status(HttpStatusType status) {
                this.status = status;
                return this;
            }

            @Override
            public Builder header(String name, String value) {
                headers.put(name.toLowerCase(), value);
                return this;
            }

            @Override
            public Builder body(Object body) {
                this.body = body;
                return this;
            }

            @Override
            public HttpResponseMessage build() {
                return new Response(status, Map.copyOf(headers), body);
            }
        }
    }
}

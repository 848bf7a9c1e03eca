package dev.greenlight.local.host;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.HttpStatusType;

import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The request an {@code @HttpTrigger} parameter receives. Header names are lower case and
 * looked up ignoring case; query values are decoded.
 *
 * @param <T> the body type: {@code Optional<String>} or {@code String}
 */
final class LocalHttpRequest<T> implements HttpRequestMessage<T> {

    private final HttpMethod method;
    private final String uriText;
    private final Map<String, String> headers;
    private final Map<String, String> queryParameters;
    private final T body;
    private volatile URI uri;

    LocalHttpRequest(HttpMethod method, String uriText, Map<String, String> headers,
                     Map<String, String> queryParameters, T body) {
        this.method = Objects.requireNonNull(method, "method");
        this.uriText = Objects.requireNonNull(uriText, "uriText");
        this.headers = headers;
        this.queryParameters = queryParameters;
        this.body = body;
    }

    @Override
    public URI getUri() {
        // Parsed on demand: most functions never ask, and URI parsing is the costliest step here.
        URI u = uri;
        if (u == null) {
            u = URI.create(uriText);
            uri = u;
        }
        return u;
    }

    @Override
    public HttpMethod getHttpMethod() {
        return method;
    }

    @Override
    public Map<String, String> getHeaders() {
        return headers;
    }

    @Override
    public Map<String, String> getQueryParameters() {
        return queryParameters;
    }

    @Override
    public T getBody() {
        return body;
    }

    @Override
    public HttpResponseMessage.Builder createResponseBuilder(HttpStatus status) {
        return new LocalHttpResponse.Builder().status(status);
    }

    @Override
    public HttpResponseMessage.Builder createResponseBuilder(HttpStatusType status) {
        return new LocalHttpResponse.Builder().status(status);
    }

    /** The same request with the body as a plain string (null when empty), for {@code HttpRequestMessage<String>}. */
    LocalHttpRequest<String> withStringBody() {
        Object b = body instanceof Optional<?> o ? o.orElse(null) : body;
        return new LocalHttpRequest<>(method, uriText, headers, queryParameters, (String) b);
    }

    @Override
    public String toString() {
        // No headers, query or body: they may carry keys or client data.
        return "LocalHttpRequest[" + method + "]";
    }
}

package dev.greenlight.registry.arm;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.util.Context;
import com.azure.core.util.polling.LongRunningOperationStatus;
import com.azure.core.util.polling.PollResponse;
import com.azure.core.util.polling.PollingContext;
import com.azure.core.util.polling.SyncPoller;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.greenlight.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The few ARM calls the registry needs, over one {@link HttpPipeline}: GET one resource, GET a list
 * following {@code nextLink}, and PUT a whole resource (waiting for an asynchronous operation with a
 * {@link SyncPoller} when the service starts one, as registry model versions do). Every URL carries
 * {@code api-version}; URLs that ARM hands back (next pages, operation status) must stay on the ARM
 * endpoint, since the bearer token travels with them.
 */
final class ArmClient {
    private static final HttpHeaderName AZURE_ASYNC_OPERATION = HttpHeaderName.fromString("Azure-AsyncOperation");
    private static final int MAX_PAGES = 1000;
    private static final int MAX_POLLS = 120;
    private static final Duration MAX_POLL_DELAY = Duration.ofSeconds(10);
    private static final Duration DEFAULT_POLL_DELAY = Duration.ofSeconds(1);
    /** 404 codes that mean "what you configured does not exist", not "this model has no such version". */
    private static final Set<String> MISSING_PARENT = Set.of(
            "SubscriptionNotFound", "ResourceGroupNotFound", "ParentResourceNotFound");

    private final HttpPipeline pipeline;
    private final String origin;
    private final String apiVersion;

    ArmClient(HttpPipeline pipeline, URI endpoint, String apiVersion) {
        this.pipeline = pipeline;
        this.origin = origin(endpoint);
        if (apiVersion == null || !apiVersion.matches("\\d{4}-\\d{2}-\\d{2}(-preview)?")) {
            throw new IllegalArgumentException("invalid ARM api-version: '" + apiVersion + "'");
        }
        this.apiVersion = apiVersion;
    }

    /** {@code https://host[:port]} of an ARM endpoint, which must be HTTPS with no path. */
    static String origin(URI endpoint) {
        if (endpoint == null || !"https".equalsIgnoreCase(endpoint.getScheme()) || endpoint.getHost() == null
                || !(endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty()
                        || endpoint.getRawPath().equals("/"))
                || endpoint.getRawQuery() != null) {
            throw new IllegalArgumentException("the ARM endpoint must be an https URL with no path, e.g. "
                    + "https://management.azure.com, was '" + endpoint + "'");
        }
        String host = endpoint.getHost().toLowerCase(Locale.ROOT);
        return "https://" + host + (endpoint.getPort() == -1 ? "" : ":" + endpoint.getPort());
    }

    /** One path segment, percent-encoded. */
    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** GETs one resource; empty on 404. */
    Optional<JsonNode> get(String path) throws ArmException {
        Response r = send(HttpMethod.GET, url(path), null);
        if (r.status() == 404 && !missingParent(r)) {
            return Optional.empty();
        }
        return Optional.of(ok(HttpMethod.GET, path, r));
    }

    /** GETs every item of a list, page by page; empty on 404. */
    Optional<List<JsonNode>> list(String path) throws ArmException {
        List<JsonNode> items = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String next = url(path);
        for (int page = 0; next != null; page++) {
            if (page == MAX_PAGES || !seen.add(next)) {
                throw new ArmException("ARM list " + path + " did not end after " + page + " pages (nextLink "
                        + next + ")", 0, null, null);
            }
            Response r = send(HttpMethod.GET, next, null);
            if (r.status() == 404 && page == 0 && !missingParent(r)) {
                return Optional.empty();
            }
            JsonNode body = ok(HttpMethod.GET, path, r);
            body.path("value").forEach(items::add);
            String link = body.path("nextLink").asText(null);
            next = link == null || link.isBlank() ? null : onEndpoint(link, "nextLink");
        }
        return Optional.of(items);
    }

    /**
     * PUTs a whole resource and returns it as stored. When the service answers with an asynchronous
     * operation ({@code Azure-AsyncOperation}, or 202 with {@code Location}), as registry model versions do,
     * waits for it with azure-core's {@link SyncPoller} and GETs the result. A workspace's PUT is synchronous
     * (200/201 with the body, no operation header), so it returns at once and no poller is made.
     */
    JsonNode put(String path, JsonNode body) throws ArmException {
        Response r = send(HttpMethod.PUT, url(path), body.toString().getBytes(StandardCharsets.UTF_8));
        JsonNode stored = ok(HttpMethod.PUT, path, r);
        String operation = r.headers().getValue(AZURE_ASYNC_OPERATION);
        String location = r.headers().getValue(HttpHeaderName.LOCATION);
        if (operation == null && !(r.status() == 202 && location != null)) {
            return stored;
        }
        // Both links are checked before the poller exists: the bearer token must never leave the ARM host.
        String statusUrl = operation != null ? onEndpoint(operation, "Azure-AsyncOperation")
                : onEndpoint(location, "Location");
        Operation status = new Operation(path, statusUrl, operation != null);
        SyncPoller<Response, JsonNode> poller = SyncPoller.createPoller(DEFAULT_POLL_DELAY,
                context -> new PollResponse<>(LongRunningOperationStatus.IN_PROGRESS, r, retryAfter(r.headers())),
                status::poll,
                (context, response) -> {
                    throw new UnsupportedOperationException("ARM model version operations cannot be cancelled");
                },
                context -> get(path).orElseThrow(() -> new ArmException("ARM PUT " + path
                        + " succeeded but the resource cannot be read back (404)", 404, null, null)));
        PollResponse<Response> done;
        try {
            done = poller.waitForCompletion();
        } catch (RuntimeException e) {
            // The poller runs each check on azure-core's executor and hands back what a check threw wrapped in
            // a RuntimeException (ExecutionException inside); the ARM failure itself is what the caller needs.
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof ArmException arm) {
                    throw arm;
                }
                if (cause instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
            }
            throw new ArmException("stopped waiting for the ARM operation of PUT " + path + " (" + statusUrl + "): "
                    + e.getMessage(), 0, null, e);
        }
        if (done.getStatus() != LongRunningOperationStatus.SUCCESSFULLY_COMPLETED) {
            Response last = done.getValue();
            JsonNode error = last.json() == null ? MissingNode.getInstance() : last.json().path("error");
            String outcome = done.getStatus() == LongRunningOperationStatus.FAILED ? "failed" : "canceled";
            throw new ArmException("ARM PUT " + path + " " + outcome + ": " + describe(last.status(), error),
                    last.status(), error.path("code").asText(null), null);
        }
        return poller.getFinalResult();
    }

    /**
     * The status checks of one asynchronous operation, bounded to {@value #MAX_POLLS}. An
     * {@code Azure-AsyncOperation} answers {@code {"status": ...}}; a {@code Location} answers 202 until done.
     * The poller calls {@link #poll} on its executor one call at a time, hence the atomic counter.
     */
    private final class Operation {
        private final String path;
        private final String statusUrl;
        private final boolean asyncOperation;
        private final AtomicInteger polls = new AtomicInteger();

        Operation(String path, String statusUrl, boolean asyncOperation) {
            this.path = path;
            this.statusUrl = statusUrl;
            this.asyncOperation = asyncOperation;
        }

        PollResponse<Response> poll(PollingContext<Response> context) {
            if (polls.incrementAndGet() > MAX_POLLS) {
                throw new ArmException("ARM PUT " + path + " did not finish after " + MAX_POLLS
                        + " status checks of " + statusUrl, 0, null, null);
            }
            Response last = send(HttpMethod.GET, statusUrl, null);
            JsonNode body = ok(HttpMethod.GET, path, last);
            Duration delay = retryAfter(last.headers());
            if (!asyncOperation) {
                return new PollResponse<>(last.status() == 202 ? LongRunningOperationStatus.IN_PROGRESS
                        : LongRunningOperationStatus.SUCCESSFULLY_COMPLETED, last, delay);
            }
            String status = body.path("status").asText("");
            LongRunningOperationStatus state = status.equalsIgnoreCase("Succeeded")
                    ? LongRunningOperationStatus.SUCCESSFULLY_COMPLETED
                    : status.equalsIgnoreCase("Failed") ? LongRunningOperationStatus.FAILED
                    : status.equalsIgnoreCase("Canceled") ? LongRunningOperationStatus.USER_CANCELLED
                    : LongRunningOperationStatus.IN_PROGRESS;
            return new PollResponse<>(state, last, delay);
        }
    }

    /**
     * The delay before the next status check: {@code Retry-After} seconds, at most {@link #MAX_POLL_DELAY}, else
     * {@link #DEFAULT_POLL_DELAY}. The poller takes a zero delay as "use the default", so {@code Retry-After: 0}
     * becomes one millisecond, which keeps its meaning: check again now.
     */
    private static Duration retryAfter(HttpHeaders headers) {
        String value = headers.getValue(HttpHeaderName.RETRY_AFTER);
        try {
            Duration delay = value == null ? DEFAULT_POLL_DELAY : Duration.ofSeconds(Long.parseLong(value.trim()));
            if (delay.compareTo(MAX_POLL_DELAY) > 0) {
                return MAX_POLL_DELAY;
            }
            return delay.isZero() || delay.isNegative() ? Duration.ofMillis(1) : delay;
        } catch (NumberFormatException e) {
            return DEFAULT_POLL_DELAY;
        }
    }

    /** The path may carry a query of its own ({@code /datastores?isDefault=true}); api-version joins it. */
    private String url(String path) {
        return origin + path + (path.indexOf('?') < 0 ? "?" : "&") + "api-version=" + apiVersion;
    }

    /** A URL ARM handed back, resolved against the endpoint, refused unless it stays there. */
    private String onEndpoint(String link, String what) throws ArmException {
        URI uri;
        try {
            uri = URI.create(origin + "/").resolve(link.trim());
        } catch (IllegalArgumentException e) {
            throw new ArmException("ARM returned a malformed " + what + ": '" + link + "'", 0, null, e);
        }
        String uriOrigin;
        try {
            uriOrigin = origin(URI.create(uri.getScheme() + "://" + uri.getRawAuthority()));
        } catch (IllegalArgumentException e) {
            uriOrigin = null;
        }
        if (!origin.equals(uriOrigin)) {
            throw new ArmException("refusing to follow " + what + " '" + link + "' away from " + origin, 0, null, null);
        }
        String s = uri.toString();
        return uri.getRawQuery() != null && uri.getRawQuery().contains("api-version=") ? s
                : s + (uri.getRawQuery() == null ? "?" : "&") + "api-version=" + apiVersion;
    }

    private record Response(int status, HttpHeaders headers, byte[] body) {
        /** The body as JSON; {@link MissingNode} when empty, null when it is not JSON. */
        JsonNode json() {
            try {
                return body.length == 0 ? MissingNode.getInstance() : Json.MAPPER.readTree(body);
            } catch (IOException e) {
                return null;
            }
        }

        JsonNode error() {
            JsonNode json = json();
            return json == null ? MissingNode.getInstance() : json.path("error");
        }
    }

    private Response send(HttpMethod method, String url, byte[] body) throws ArmException {
        HttpRequest request = new HttpRequest(method, url).setHeader(HttpHeaderName.ACCEPT, "application/json");
        if (body != null) {
            request.setHeader(HttpHeaderName.CONTENT_TYPE, "application/json").setBody(body);
        }
        try (HttpResponse response = pipeline.sendSync(request, Context.NONE)) {
            return new Response(response.getStatusCode(), response.getHeaders(),
                    response.getBodyAsBinaryData().toBytes());
        } catch (RuntimeException e) {
            throw new ArmException("cannot reach Azure Resource Manager (" + method + " " + pathOf(url) + "): "
                    + e.getMessage(), 0, null, e);
        }
    }

    private static boolean missingParent(Response r) {
        return MISSING_PARENT.contains(r.error().path("code").asText(""));
    }

    /** The body of a 2xx answer; any other answer becomes the matching exception. */
    private static JsonNode ok(HttpMethod method, String path, Response r) throws ArmException {
        if (r.status() >= 200 && r.status() < 300) {
            JsonNode json = r.json();
            if (json == null) {
                throw new ArmException("Azure ML " + method + " " + path + " answered " + r.status()
                        + " with a body that is not JSON", r.status(), null, null);
            }
            return json;
        }
        JsonNode error = r.error();
        String code = error.path("code").asText(null);
        String detail = error.isObject() ? describe(r.status(), error)
                : r.status() + " " + new String(r.body(), 0, Math.min(r.body().length, 200), StandardCharsets.UTF_8)
                        .strip();
        if (r.status() == 401 || r.status() == 403) {
            throw new ArmAccessDenied("the identity Greenlight runs as lacks access to " + path + " (" + method
                    + " answered " + detail + "); grant it a role on that workspace or registry, e.g. "
                    + "AzureML Data Scientist (workspace) or AzureML Registry User (registry)", r.status(), code, null);
        }
        throw new ArmException("Azure ML " + method + " " + path + " failed: " + detail, r.status(), code, null);
    }

    private static String describe(int status, JsonNode error) {
        String code = error.path("code").asText(null);
        String message = error.path("message").asText(null);
        return status + (code == null ? "" : " " + code) + (message == null ? "" : ": " + message);
    }

    private static String pathOf(String url) {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }
}

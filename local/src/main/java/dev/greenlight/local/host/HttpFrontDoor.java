package dev.greenlight.local.host;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.microsoft.azure.functions.HttpMethod;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Every request comes in here: the Event Grid webhook, else the route table; then the key
 * check, the body (capped), the invocation and the reply. This is the hot path: no reflection,
 * no regex, no synchronous logging per request.
 */
final class HttpFrontDoor implements HttpHandler {

    /** The Functions host's default request size limit (100 MiB). */
    static final long MAX_BODY_BYTES = 100L * 1024 * 1024;

    private static final Logger LOG = Logger.getLogger(HttpFrontDoor.class.getName());
    private static final Map<String, HttpMethod> METHODS = new HashMap<>();

    static {
        EnumSet.allOf(HttpMethod.class).forEach(m -> METHODS.put(m.name(), m));
    }

    private final RouteTable routes;
    private final EventGridWebhook webhook;
    private final KeyRing keys;
    private final AccessLog accessLog; // null when off
    private final ResponseMapper responses = new ResponseMapper();
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean closing;
    private volatile int port;

    HttpFrontDoor(RouteTable routes, EventGridWebhook webhook, KeyRing keys, AccessLog accessLog) {
        this.routes = routes;
        this.webhook = webhook;
        this.keys = keys;
        this.accessLog = accessLog;
    }

    /** The port the server is bound to, for the request URL the functions see. */
    void port(int port) {
        this.port = port;
    }

    @Override
    public void handle(HttpExchange exchange) {
        long start = System.nanoTime();
        inFlight.incrementAndGet();
        IncomingRequest request = new IncomingRequest(exchange, MAX_BODY_BYTES);
        String function = null;
        int status = 500;
        try {
            HttpReply reply;
            try {
                if (closing) {
                    reply = HttpReply.error(503, "unavailable", "the host is shutting down");
                } else if (EventGridWebhook.matches(request.path())) {
                    function = webhook.functionFor(request); // never the raw query text: it goes to the log
                    reply = webhook.handle(request);
                } else {
                    RouteTable.Lookup lookup = routes.lookup(request.method(), request.path());
                    function = lookup.route() == null ? null : lookup.route().entryPoint().name();
                    reply = dispatch(lookup, request);
                }
            } catch (IncomingRequest.TooLargeException e) {
                reply = HttpReply.payloadTooLarge(MAX_BODY_BYTES).withHeader("Connection", "close");
            }
            status = reply.status();
            reply.send(exchange);
        } catch (IOException e) {
            // The client went away mid-exchange; nothing left to answer.
            LOG.log(Level.FINE, "I/O error on " + request.method() + " " + request.rawPath(), e);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "the host failed on " + request.method() + " " + request.rawPath(), e);
            status = 500;
            trySend(exchange, HttpReply.internal("the host failed to handle the request"));
        } finally {
            exchange.close();
            inFlight.decrementAndGet();
            if (accessLog != null) {
                accessLog.record(request.method(), request.rawPath(), status, (System.nanoTime() - start) / 1000,
                        function);
            }
        }
    }

    private HttpReply dispatch(RouteTable.Lookup lookup, IncomingRequest request)
            throws IOException, IncomingRequest.TooLargeException {
        switch (lookup.kind()) {
            case NOT_FOUND:
                return HttpReply.notFound("no function serves " + request.method() + " " + request.rawPath());
            case METHOD_NOT_ALLOWED:
                return HttpReply.error(405, "method_not_allowed", request.rawPath() + " does not accept "
                        + request.method()).withHeader("Allow", String.join(", ", lookup.allowedMethods()));
            case FOUND:
                return invoke(lookup.route(), lookup.values(), request);
        }
        throw new AssertionError(lookup.kind());
    }

    private HttpReply invoke(RouteTable.Route route, Map<String, String> values, IncomingRequest request)
            throws IOException, IncomingRequest.TooLargeException {
        EntryPoint function = route.entryPoint();
        if (!keys.allows(route.authLevel(), request.presentedKey())) {
            return HttpReply.unauthorized(function.name() + " needs the "
                    + (route.authLevel() == AuthLevel.ADMIN ? "admin" : "function") + " key as ?code= or x-functions-key");
        }
        HttpMethod method = METHODS.get(request.method());
        if (method == null) {
            return HttpReply.error(405, "method_not_allowed", "method " + request.method() + " is not supported");
        }
        byte[] body = request.body();
        Optional<String> text = body.length == 0 ? Optional.empty()
                : Optional.of(new String(body, StandardCharsets.UTF_8));
        LocalHttpRequest<Optional<String>> httpRequest = new LocalHttpRequest<>(method, request.url(port),
                request.headers(), request.query(), text);
        LocalExecutionContext context = function.newContext();
        Object result;
        try {
            result = function.invoke(Invocation.http(httpRequest, values, context));
        } catch (Throwable t) {
            // The stack trace is for the operator; the caller learns only which function failed.
            LOG.log(Level.SEVERE, "function " + function.name() + " failed (invocation " + context.getInvocationId()
                    + ")", t);
            return HttpReply.internal(function.name() + " failed");
        }
        try {
            return responses.toReply(result);
        } catch (JsonProcessingException e) {
            LOG.log(Level.SEVERE, "function " + function.name() + " returned a body that cannot be written as JSON", e);
            return HttpReply.internal(function.name() + " failed");
        }
    }

    private static void trySend(HttpExchange exchange, HttpReply reply) {
        try {
            reply.send(exchange);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "could not send the error reply", e);
        }
    }

    /** New requests get 503 from now on; returns whether those in flight finished within {@code grace}. */
    boolean drain(Duration grace) {
        closing = true;
        long deadline = System.nanoTime() + grace.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return inFlight.get() == 0;
    }
}

package dev.greenlight.local.host;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Event Grid extension's webhook, {@code /runtime/webhooks/eventgrid?functionName=<Function>},
 * answering as the Functions host does (see {@code contracts/webhook-delivery.md} §5): both
 * validation handshakes, one invocation per delivered event, 202 when all succeeded and 500
 * when any failed, so that Event Grid retries the delivery.
 */
final class EventGridWebhook {

    /** Origins the host echoes in the CloudEvents handshake; any other gets the public cloud's. */
    static final Set<String> EVENT_GRID_ORIGINS = Set.of("eventgrid.azure.net", "eventgrid.azure.us",
            "eventgrid.azure.cn", "eventgrid.azure.eaglex.ic.gov", "eventgrid.azure.microsoft.scloud");

    private static final Logger LOG = Logger.getLogger(EventGridWebhook.class.getName());
    // Each event is passed on as its JSON text again: read as doubles, 1e400 would be passed on
    // as the string "Infinity" (a valid version id to the function), so numbers keep their value.
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

    private final Map<String, EntryPoint> functions = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private final KeyRing keys;

    EventGridWebhook(List<EntryPoint> eventGridEntryPoints, KeyRing keys) {
        eventGridEntryPoints.forEach(ep -> functions.put(ep.name(), ep));
        this.keys = keys;
    }

    /** Whether the decoded path is {@code runtime/webhooks/eventgrid} (any case). */
    static boolean matches(String[] path) {
        return path.length == 3 && path[0].equalsIgnoreCase("runtime") && path[1].equalsIgnoreCase("webhooks")
                && path[2].equalsIgnoreCase("eventgrid");
    }

    /** The function a request is for, by its declared name; null when there is no such function. */
    String functionFor(IncomingRequest request) {
        String name = functionName(request);
        EntryPoint function = name == null ? null : functions.get(name);
        return function == null ? null : function.name();
    }

    private static String functionName(IncomingRequest request) {
        return request.query().get("functionName");
    }

    HttpReply handle(IncomingRequest request) throws IOException, IncomingRequest.TooLargeException {
        boolean options = request.method().equals("OPTIONS");
        if (!options && !request.method().equals("POST")) {
            return HttpReply.error(405, "method_not_allowed", "the Event Grid webhook accepts POST and OPTIONS")
                    .withHeader("Allow", "POST, OPTIONS");
        }
        if (!keys.allowsWebhook(request.presentedKey())) {
            return HttpReply.unauthorized("the Event Grid webhook needs the eventgrid_extension system key"
                    + " (or the admin key) as ?code= or x-functions-key");
        }
        String name = functionName(request);
        EntryPoint function = name == null ? null : functions.get(name);
        if (function == null) {
            return HttpReply.notFound("cannot find function: '" + (name == null ? "" : name) + "'");
        }
        if (options) {
            return abuseProtectionConsent(request);
        }
        String eventType = request.header("aeg-event-type");
        if (eventType == null) {
            return HttpReply.badRequest("missing header aeg-event-type"
                    + " (SubscriptionValidation, Notification or Unsubscribe)");
        }
        switch (eventType.trim().toLowerCase(Locale.ROOT)) {
            case "subscriptionvalidation":
                return validate(request);
            case "notification":
                return deliver(function, request);
            case "unsubscribe":
                return HttpReply.empty(202);
            default:
                return HttpReply.badRequest("unknown aeg-event-type " + eventType
                        + " (expected SubscriptionValidation, Notification or Unsubscribe)");
        }
    }

    // CloudEvents 1.0 webhook abuse protection: consent to deliveries from Event Grid.
    private static HttpReply abuseProtectionConsent(IncomingRequest request) {
        String origin = request.header("WebHook-Request-Origin");
        String allowed = origin != null && EVENT_GRID_ORIGINS.contains(origin.trim().toLowerCase(Locale.ROOT))
                ? origin.trim() : "eventgrid.azure.net";
        return HttpReply.empty(200)
                .withHeader("WebHook-Allowed-Origin", allowed)
                .withHeader("WebHook-Allowed-Rate", "*")
                .withHeader("Allow", "POST");
    }

    private static HttpReply validate(IncomingRequest request) throws IOException, IncomingRequest.TooLargeException {
        JsonNode body = parse(request.body());
        if (body == null) {
            return HttpReply.badRequest("the body is not valid JSON");
        }
        JsonNode event = body.isArray() ? body.path(0) : body;
        JsonNode data = event.path("data");
        if (data.isTextual()) {
            // The data is double-encoded in the CloudEvents subscription event.
            try {
                data = JSON.readTree(data.asText());
            } catch (JsonProcessingException e) {
                return HttpReply.badRequest("data of the validation event is not valid JSON");
            }
        }
        JsonNode code = data.has("validationCode") ? data.get("validationCode") : data.path("ValidationCode");
        if (!code.isTextual()) {
            return HttpReply.badRequest("the validation event has no data.validationCode");
        }
        return HttpReply.json(200, JSON.createObjectNode().put("validationResponse", code.asText()).toString());
    }

    private HttpReply deliver(EntryPoint function, IncomingRequest request)
            throws IOException, IncomingRequest.TooLargeException {
        JsonNode body = parse(request.body());
        if (body == null) {
            return HttpReply.badRequest("the body is not valid JSON");
        }
        // Like the Functions extension, every element goes to the function, which acknowledges
        // one that is not an event; refusing the whole batch would drop its good events.
        ArrayNode events = body.isArray() ? (ArrayNode) body : JSON.createArrayNode().add(body);
        int failed = 0;
        for (JsonNode event : events) {
            if (!invoke(function, event)) {
                failed++;
            }
        }
        return failed == 0 ? HttpReply.empty(202)
                : HttpReply.internal(function.name() + " failed for " + failed + " of " + events.size() + " events");
    }

    private static boolean invoke(EntryPoint function, JsonNode event) {
        LocalExecutionContext context = function.newContext();
        try {
            function.invoke(Invocation.trigger(event.toString(), context));
            return true;
        } catch (Throwable t) {
            // The event id and type identify it; its data may be sensitive and is not logged.
            Failures.log(LOG, "function " + function.name() + " failed for event id="
                    + event.path("id").asText("?") + " type=" + type(event)
                    + " (invocation " + context.getInvocationId() + ")", t);
            return false;
        }
    }

    private static String type(JsonNode event) {
        return event.has("eventType") ? event.get("eventType").asText() : event.path("type").asText("?");
    }

    /** The parsed body, or null when it is empty or not JSON. */
    private static JsonNode parse(byte[] body) {
        if (body.length == 0) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(body);
            return node == null || node.isMissingNode() ? null : node;
        } catch (IOException | NumberFormatException e) { // the latter: a number such as 1e2147483648
            return null;
        }
    }
}

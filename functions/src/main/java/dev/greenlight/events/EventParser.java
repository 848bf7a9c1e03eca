package dev.greenlight.events;

import com.azure.core.models.CloudEvent;
import com.azure.core.util.BinaryData;
import com.azure.messaging.eventgrid.EventGridEvent;
import com.azure.messaging.eventgrid.SystemEventNames;
import com.azure.messaging.eventgrid.systemevents.MachineLearningServicesModelRegisteredEventData;
import com.azure.messaging.eventgrid.systemevents.MachineLearningServicesRunCompletedEventData;
import com.azure.messaging.eventgrid.systemevents.MachineLearningServicesRunStatusChangedEventData;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.greenlight.errors.ClientValue;
import dev.greenlight.json.Json;
import dev.greenlight.registry.VersionId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses Event Grid deliveries (Event Grid schema or CloudEvents 1.0; one event or an array)
 * with the Event Grid SDK's envelope and system event types. Azure's documentation samples
 * write the data keys in PascalCase ({@code ModelName}) while the SDK reads camelCase, and
 * {@code modelVersion} arrives as a number or a string: both are accepted. Each element of a
 * batch is judged on its own: only events from the configured registry ({@link EventScope}),
 * with an id, and naming a valid version ({@link VersionId}) go on; the rest are refused with
 * a reason.
 */
public final class EventParser {
    /** Longest event id kept: ids are remembered in the ledger to make redeliveries no-ops. */
    static final int MAX_ID_LENGTH = 256;
    /** Data fields that the SDK's Azure ML event types read as text. */
    private static final Set<String> TEXT_DATA_FIELDS = Set.of("modelname", "modelversion", "experimentid",
            "experimentname", "runid", "runtype", "runstatus");
    /** A run status as Azure ML writes it: one word, in any case. */
    private static final Pattern STATUS_WORD = Pattern.compile("[A-Za-z]{1,32}");

    private final EventScope scope;

    /** A parser that accepts only events whose topic or source {@code scope} accepts. */
    public EventParser(EventScope scope) {
        this.scope = scope;
    }

    /**
     * One result per element of the delivery, in order. An element that is not a usable event
     * from the configured registry becomes {@link MlEvent.Refused} with its reason, so the good
     * events of a batch are still handled.
     *
     * @throws BadEvent when the delivery as a whole is not JSON or holds no event
     */
    public List<MlEvent> parse(String json) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(json);
        } catch (Exception e) {
            throw new BadEvent("the delivery is not JSON", e);
        }
        if (root == null || !(root.isArray() || root.isObject()) || (root.isArray() && root.isEmpty())) {
            throw new BadEvent("the delivery holds no event object", null);
        }
        List<MlEvent> events = new ArrayList<>();
        if (root.isObject()) {
            events.add(element(root, 0));
        } else {
            for (int i = 0; i < root.size(); i++) {
                events.add(element(root.get(i), i));
            }
        }
        return events;
    }

    private MlEvent element(JsonNode node, int index) {
        if (!node.isObject()) {
            return new MlEvent.Refused("#" + index, "element #" + index + " of the delivery is not an event object"
                    + " (found " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + ")");
        }
        JsonNode idNode = node.get("id");
        String label = idNode != null && idNode.isTextual() && !idNode.textValue().isBlank()
                ? ClientValue.clip(idNode.textValue()) : "#" + index;
        try {
            boolean cloudEvent = node.has("specversion") || node.has("specVersion");
            String id = id(idNode);
            String origin = cloudEvent ? cloudEventSource(node) : text(node, "topic", "an Event Grid event needs a topic");
            if (!scope.accepts(origin)) {
                return new MlEvent.Refused(id, scope.refusal(origin));
            }
            checkNumbers(node.get("data"));
            checkAttributes(node);
            String text = node.toString();
            if (cloudEvent) {
                CloudEvent e = CloudEvent.fromString(text, true).get(0);
                return toEvent(id, e.getType(), e.getData());
            }
            EventGridEvent e = EventGridEvent.fromString(text).get(0);
            return toEvent(id, e.getEventType(), e.getData());
        } catch (BadEvent e) {
            return new MlEvent.Refused(label, e.getMessage());
        } catch (RuntimeException e) {
            return new MlEvent.Refused(label, "the event could not be parsed: " + ClientValue.clip(e.getMessage()));
        }
    }

    /** The SDK turns 1e400 into "Infinity", which would pass for a version string. */
    private static void checkNumbers(JsonNode data) {
        if (data == null || !data.isObject()) {
            return;
        }
        data.fields().forEachRemaining(field -> {
            JsonNode value = field.getValue();
            if (value.isNumber() && !value.isIntegralNumber() && !Double.isFinite(value.doubleValue())) {
                throw new BadEvent("the event's data field '" + ClientValue.clip(field.getKey())
                        + "' holds a number out of range", null);
            }
        });
    }

    /**
     * Every attribute but {@code data} is a single value in both schemas. The SDK's reader
     * never returns from an empty array where it expects text (a {@code dataVersion} of
     * {@code []}), so such an event is refused before the SDK sees it.
     */
    private static void checkAttributes(JsonNode event) {
        event.fields().forEachRemaining(field -> {
            if (!field.getKey().equals("data") && field.getValue().isContainerNode()) {
                throw new BadEvent("the event's attribute '" + ClientValue.clip(field.getKey()) + "' is "
                        + kind(field.getValue()) + ", not a single value", null);
            }
        });
    }

    /** The same for the data fields the SDK reads as text; true or an object is not text either. */
    private static void checkTextFields(JsonNode data) {
        data.fields().forEachRemaining(field -> {
            JsonNode value = field.getValue();
            if (TEXT_DATA_FIELDS.contains(field.getKey().toLowerCase(Locale.ROOT))
                    && !(value.isTextual() || value.isNumber() || value.isNull())) {
                throw new BadEvent("the event's data field '" + ClientValue.clip(field.getKey()) + "' must be text, was "
                        + kind(value), null);
            }
        });
    }

    private static String kind(JsonNode value) {
        return value.isArray() ? "an array" : value.isObject() ? "an object" : "a " + value.getNodeType().name()
                .toLowerCase(Locale.ROOT);
    }

    private static String id(JsonNode id) {
        if (id == null || !id.isTextual() || id.textValue().isBlank()) {
            throw new BadEvent("the event has no id", null);
        }
        if (id.textValue().length() > MAX_ID_LENGTH) {
            throw new BadEvent("the event id is longer than " + MAX_ID_LENGTH + " characters", null);
        }
        return id.textValue();
    }

    /** CloudEvents 1.0 requires id, source, specversion and type; only 1.0 is understood. */
    private static String cloudEventSource(JsonNode node) {
        JsonNode version = node.has("specversion") ? node.get("specversion") : node.get("specVersion");
        if (version == null || !version.isTextual() || !"1.0".equals(version.textValue())) {
            throw new BadEvent("CloudEvents specversion must be \"1.0\", was "
                    + (version == null || !version.isValueNode() ? "not text" : "'" + ClientValue.clip(version.asText()) + "'"),
                    null);
        }
        return text(node, "source", "a CloudEvent needs a source");
    }

    private static String text(JsonNode node, String field, String missing) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.textValue().isBlank()) {
            throw new BadEvent(missing, null);
        }
        return value.textValue();
    }

    private MlEvent toEvent(String id, String type, BinaryData data) {
        if (SystemEventNames.MACHINE_LEARNING_MODEL_REGISTERED.equals(type)) {
            var d = camelCase(data).toObject(MachineLearningServicesModelRegisteredEventData.class);
            if (d.getModelName() == null || d.getModelVersion() == null) {
                throw new BadEvent("ModelRegistered event lacks modelName or modelVersion", null);
            }
            VersionId.problem(d.getModelVersion()).ifPresent(reason -> {
                throw new BadEvent("ModelRegistered event names an unusable version: " + reason, null);
            });
            if (d.getModelName().length() > 255) {
                throw new BadEvent("ModelRegistered event names a model longer than 255 characters", null);
            }
            return new MlEvent.ModelRegistered(id, d.getModelName(), d.getModelVersion(), strings(d.getModelTags()));
        }
        if (SystemEventNames.MACHINE_LEARNING_RUN_COMPLETED.equals(type)) {
            var d = camelCase(data).toObject(MachineLearningServicesRunCompletedEventData.class);
            return new MlEvent.RunFinished(id, require(d.getRunId(), id), d.getExperimentName(), "Completed");
        }
        if (SystemEventNames.MACHINE_LEARNING_RUN_STATUS_CHANGED.equals(type)) {
            var d = camelCase(data).toObject(MachineLearningServicesRunStatusChangedEventData.class);
            String runId = require(d.getRunId(), id);
            String status = d.getRunStatus();
            // Azure ML's statuses are single words (Completed, Failed, Running...); anything else
            // would be recorded as how the run ended.
            if (status == null || !STATUS_WORD.matcher(status).matches()) {
                throw new BadEvent("RunStatusChanged event has no runStatus word, was "
                        + (status == null ? "none" : "'" + ClientValue.clip(status) + "'"), null);
            }
            return new MlEvent.RunFinished(id, runId, d.getExperimentName(), status);
        }
        return new MlEvent.Ignored(id, ClientValue.clip(type));
    }

    private static String require(String runId, String eventId) {
        if (runId == null || runId.isBlank()) {
            throw new BadEvent("run event has no runId", null);
        }
        if (runId.length() > MAX_ID_LENGTH) {
            throw new BadEvent("run event's runId is longer than " + MAX_ID_LENGTH + " characters", null);
        }
        return runId;
    }

    /** Lower-cases the first letter of each top-level data key and turns numbers into strings. */
    private static BinaryData camelCase(BinaryData data) {
        if (data == null) {
            throw new BadEvent("the event has no data", null);
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(data.toBytes());
        } catch (java.io.IOException e) {
            throw new BadEvent("the event's data is not JSON", e);
        }
        if (!node.isObject()) {
            throw new BadEvent("the event's data is not an object", null);
        }
        // Checked here too: CloudEvents' data_base64 reaches the SDK only through this method.
        checkNumbers(node);
        checkTextFields(node);
        ObjectNode normalized = Json.MAPPER.createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String key = field.getKey().isEmpty() ? field.getKey()
                    : Character.toLowerCase(field.getKey().charAt(0)) + field.getKey().substring(1);
            JsonNode value = field.getValue();
            normalized.set(key, value.isNumber() ? Json.MAPPER.getNodeFactory().textNode(value.asText()) : value);
        }
        return BinaryData.fromString(normalized.toString());
    }

    private static Map<String, String> strings(Object tags) {
        Map<String, String> out = new LinkedHashMap<>();
        if (tags instanceof Map<?, ?> map) {
            map.forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
        }
        return out;
    }
}

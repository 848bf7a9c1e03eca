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
import dev.greenlight.json.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses Event Grid deliveries (Event Grid schema or CloudEvents 1.0; one event or an array)
 * with the Event Grid SDK's envelope and system event types. Azure's documentation samples
 * write the data keys in PascalCase ({@code ModelName}) while the SDK reads camelCase, and
 * {@code modelVersion} arrives as a number or a string: both are accepted.
 */
public final class EventParser {

    public List<MlEvent> parse(String json) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(json);
        } catch (Exception e) {
            throw new BadEvent("the delivery is not JSON", e);
        }
        JsonNode first = root != null && root.isArray() ? root.path(0) : root;
        if (first == null || !first.isObject()) {
            throw new BadEvent("the delivery holds no event object", null);
        }
        try {
            return first.has("specversion") || first.has("specVersion") ? cloudEvents(json) : eventGridEvents(json);
        } catch (BadEvent e) {
            throw e;
        } catch (RuntimeException e) {
            throw new BadEvent("the event could not be parsed: " + e.getMessage(), e);
        }
    }

    private List<MlEvent> eventGridEvents(String json) {
        List<MlEvent> events = new ArrayList<>();
        for (EventGridEvent e : EventGridEvent.fromString(json)) {
            events.add(toEvent(e.getId(), e.getEventType(), e.getData()));
        }
        return events;
    }

    private List<MlEvent> cloudEvents(String json) {
        List<MlEvent> events = new ArrayList<>();
        for (CloudEvent e : CloudEvent.fromString(json, true)) {
            events.add(toEvent(e.getId(), e.getType(), e.getData()));
        }
        return events;
    }

    private MlEvent toEvent(String id, String type, BinaryData data) {
        if (id == null || id.isBlank()) {
            throw new BadEvent("the event has no id", null);
        }
        if (SystemEventNames.MACHINE_LEARNING_MODEL_REGISTERED.equals(type)) {
            var d = camelCase(data).toObject(MachineLearningServicesModelRegisteredEventData.class);
            if (d.getModelName() == null || d.getModelVersion() == null) {
                throw new BadEvent("ModelRegistered event " + id + " lacks modelName or modelVersion", null);
            }
            return new MlEvent.ModelRegistered(id, d.getModelName(), d.getModelVersion(), strings(d.getModelTags()));
        }
        if (SystemEventNames.MACHINE_LEARNING_RUN_COMPLETED.equals(type)) {
            var d = camelCase(data).toObject(MachineLearningServicesRunCompletedEventData.class);
            return new MlEvent.RunFinished(id, require(d.getRunId(), id), d.getExperimentName(), "Completed");
        }
        if (SystemEventNames.MACHINE_LEARNING_RUN_STATUS_CHANGED.equals(type)) {
            var d = camelCase(data).toObject(MachineLearningServicesRunStatusChangedEventData.class);
            return new MlEvent.RunFinished(id, require(d.getRunId(), id), d.getExperimentName(), d.getRunStatus());
        }
        return new MlEvent.Ignored(id, type);
    }

    private static String require(String runId, String eventId) {
        if (runId == null || runId.isBlank()) {
            throw new BadEvent("run event " + eventId + " has no runId", null);
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

package dev.greenlight.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.EventGridTrigger;
import com.microsoft.azure.functions.annotation.FunctionName;

/**
 * Event Grid receivers for Azure ML's events. Promotion is not built yet, so they acknowledge
 * every delivery (Event Grid stops retrying) and log its id and type, never its data.
 */
public class EventReceivers {

    @FunctionName("OnModelRegistered")
    public void onModelRegistered(@EventGridTrigger(name = "event") String event, ExecutionContext context) {
        acknowledge(event, context);
    }

    @FunctionName("OnRunCompleted")
    public void onRunCompleted(@EventGridTrigger(name = "event") String event, ExecutionContext context) {
        acknowledge(event, context);
    }

    private static void acknowledge(String event, ExecutionContext context) {
        String id = field(event, "id");
        String type = field(event, "eventType");
        context.getLogger().info(context.getFunctionName() + " acknowledged event " + id + " ("
                + (type != null ? type : field(event, "type")) + "); promotion is not enabled in this build");
    }

    private static String field(String event, String name) {
        try {
            return dev.greenlight.json.Json.MAPPER.readTree(event).path(name).asText(null);
        } catch (Exception e) {
            return null;
        }
    }
}

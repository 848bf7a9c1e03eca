package dev.greenlight.local.host.testapp;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.EventGridTrigger;
import com.microsoft.azure.functions.annotation.FunctionName;

/** Logs each event it receives; fails for an event whose subject is "fail". */
public class OnEvent {

    @FunctionName("OnEvent")
    public void run(@EventGridTrigger(name = "event") String event, ExecutionContext context) {
        if (event.contains("\"subject\":\"fail\"")) {
            throw new IllegalArgumentException("refusing the event");
        }
        context.getLogger().info("event " + event);
    }
}

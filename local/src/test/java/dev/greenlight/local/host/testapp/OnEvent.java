package dev.greenlight.local.host.testapp;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.EventGridTrigger;
import com.microsoft.azure.functions.annotation.FunctionName;

/**
 * Logs each event it receives; fails for an event whose subject is "fail" (a bug) or "outage" (a
 * failure the app classified, with a {@code code()}).
 */
public class OnEvent {

    @FunctionName("OnEvent")
    public void run(@EventGridTrigger(name = "event") String event, ExecutionContext context) {
        if (event.contains("\"subject\":\"fail\"")) {
            throw new IllegalArgumentException("refusing the event");
        }
        if (event.contains("\"subject\":\"outage\"")) {
            throw new Outage();
        }
        context.getLogger().info("event " + event);
    }

    /** A dependency outage, named as the app names its failures. */
    public static final class Outage extends RuntimeException {
        public Outage() {
            super("the store does not answer");
        }

        public String code() {
            return "store_unavailable";
        }
    }
}

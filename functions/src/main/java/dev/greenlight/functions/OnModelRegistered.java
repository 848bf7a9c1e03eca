package dev.greenlight.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.EventGridTrigger;
import com.microsoft.azure.functions.annotation.FunctionName;
import dev.greenlight.app.Greenlight;
import java.util.function.Supplier;

/**
 * Event Grid: {@code Microsoft.MachineLearningServices.ModelRegistered} → judge the version.
 * Returning acknowledges the event; an exception (store or registry down) makes Event Grid retry.
 */
public class OnModelRegistered {
    private final Supplier<Greenlight> app;

    public OnModelRegistered() {
        this(Greenlight::instance);
    }

    OnModelRegistered(Supplier<Greenlight> app) {
        this.app = app;
    }

    @FunctionName("OnModelRegistered")
    public void run(@EventGridTrigger(name = "event") String event, ExecutionContext context) {
        app.get().events().handle(event).forEach(line -> context.getLogger().info(line));
    }
}

package dev.greenlight.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.EventGridTrigger;
import com.microsoft.azure.functions.annotation.FunctionName;
import dev.greenlight.app.Greenlight;
import java.util.function.Supplier;

/**
 * Event Grid: {@code RunCompleted} / {@code RunStatusChanged} → judge the versions the run registered.
 * Returning acknowledges the event; an exception (store or registry down) makes Event Grid retry.
 */
public class OnRunCompleted {
    private final Supplier<Greenlight> app;

    public OnRunCompleted() {
        this(Greenlight::instance);
    }

    OnRunCompleted(Supplier<Greenlight> app) {
        this.app = app;
    }

    @FunctionName("OnRunCompleted")
    public void run(@EventGridTrigger(name = "event") String event, ExecutionContext context) {
        app.get().events().handle(event).forEach(line -> context.getLogger().info(line));
    }
}

package dev.greenlight.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import dev.greenlight.app.Greenlight;
import java.util.function.Supplier;

/**
 * Timer, {@code %GREENLIGHT_SYNC_SCHEDULE%}: makes this instance check every model's pointer
 * now, so a cache that missed a change is repaired even when polling is slow.
 */
public class SyncCheck {
    private final Supplier<Greenlight> app;

    public SyncCheck() {
        this(Greenlight::instance);
    }

    SyncCheck(Supplier<Greenlight> app) {
        this.app = app;
    }

    @FunctionName("SyncCheck")
    public void run(@TimerTrigger(name = "timer", schedule = "%GREENLIGHT_SYNC_SCHEDULE%") String timer,
                    ExecutionContext context) {
        Greenlight greenlight = app.get();
        greenlight.cache().refreshAll();
        context.getLogger().info("SyncCheck: pointer check started for " + greenlight.cache().models());
    }
}

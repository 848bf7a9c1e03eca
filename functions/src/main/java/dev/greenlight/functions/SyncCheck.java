package dev.greenlight.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import dev.greenlight.app.Greenlight;
import java.util.function.Supplier;

/**
 * Timer, {@code %GREENLIGHT_SYNC_SCHEDULE%}: repairs drift (pointer behind the ledger, stale or
 * missing baseline tags, candidates whose event never came, refresh targets that did not
 * confirm), then makes this instance check every pointer now.
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
        var result = greenlight.sync().run("timer:" + context.getFunctionName());
        greenlight.cache().refreshAll();
        context.getLogger().info("SyncCheck: " + result);
    }
}

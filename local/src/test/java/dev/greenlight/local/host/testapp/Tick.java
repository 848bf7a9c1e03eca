package dev.greenlight.local.host.testapp;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.TimerTrigger;

/** Logs the timer info it receives and a setting. */
public class Tick {

    @FunctionName("Tick")
    public void run(@TimerTrigger(name = "timer", schedule = "%TICK_SCHEDULE%") String timerInfo,
                    ExecutionContext context) {
        context.getLogger().info("tick " + timerInfo + " message=" + AppSettings.get("TICK_MESSAGE"));
    }
}

package dev.greenlight.local.host;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * One function as its generated {@code function.json} describes it: where its code is, its
 * entry point and its trigger. Binding values are already resolved ({@code %SETTING%}).
 *
 * @param name       the function name (its folder name, equal to {@code @FunctionName})
 * @param scriptFile the jar holding the entry point
 * @param className  the entry point's class
 * @param methodName the entry point's method
 * @param trigger    what invokes it
 */
public record FunctionDefinition(String name, Path scriptFile, String className, String methodName,
                                 Trigger trigger) {

    public FunctionDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(scriptFile, "scriptFile");
        Objects.requireNonNull(className, "className");
        Objects.requireNonNull(methodName, "methodName");
        Objects.requireNonNull(trigger, "trigger");
    }

    /** The trigger kinds the local host runs; callers switch on it with no default. */
    public enum TriggerKind { HTTP, EVENT_GRID, TIMER }

    /** A function's trigger binding. */
    public sealed interface Trigger permits Http, EventGrid, Timer {
        TriggerKind kind();
    }

    /**
     * An {@code httpTrigger}.
     *
     * @param route     the route template without the host's route prefix
     * @param methods   upper-case methods in function.json order; empty means any
     * @param authLevel which key the caller needs
     */
    public record Http(String route, Set<String> methods, AuthLevel authLevel) implements Trigger {
        public Http {
            Objects.requireNonNull(route, "route");
            methods = Collections.unmodifiableSet(new LinkedHashSet<>(methods));
            Objects.requireNonNull(authLevel, "authLevel");
        }

        @Override
        public TriggerKind kind() {
            return TriggerKind.HTTP;
        }
    }

    /** An {@code eventGridTrigger}, invoked through the Event Grid webhook. */
    public record EventGrid() implements Trigger {
        @Override
        public TriggerKind kind() {
            return TriggerKind.EVENT_GRID;
        }
    }

    /**
     * A {@code timerTrigger}.
     *
     * @param schedule     NCRONTAB ({@code sec min hour day month dow}) or a TimeSpan {@code hh:mm:ss}
     * @param runOnStartup run once when the host starts
     */
    public record Timer(String schedule, boolean runOnStartup) implements Trigger {
        public Timer {
            Objects.requireNonNull(schedule, "schedule");
        }

        @Override
        public TriggerKind kind() {
            return TriggerKind.TIMER;
        }
    }
}

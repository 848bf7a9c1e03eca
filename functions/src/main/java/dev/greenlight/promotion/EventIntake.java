package dev.greenlight.promotion;

import dev.greenlight.events.BadEvent;
import dev.greenlight.events.EventParser;
import dev.greenlight.events.EventScope;
import dev.greenlight.events.MlEvent;
import dev.greenlight.registry.ModelRegistry;
import dev.greenlight.registry.ModelVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What Greenlight does with an Azure ML event. A bad event (unparseable, an unknown model, a
 * type it does not handle) is acknowledged with its reason, so Event Grid does not retry it
 * forever; a dependency failure propagates, so Event Grid retries the delivery.
 */
public final class EventIntake {
    private final EventParser parser;
    private final PromotionService promotion;
    private final ModelRegistry registry;

    public EventIntake(PromotionService promotion, ModelRegistry registry, EventScope scope) {
        this.parser = new EventParser(scope);
        this.promotion = promotion;
        this.registry = registry;
    }

    /** One line per event saying what happened, for the function's log. */
    public List<String> handle(String delivery) {
        List<MlEvent> events;
        try {
            events = parser.parse(delivery);
        } catch (BadEvent e) {
            return List.of("acknowledged an unusable delivery: " + e.getMessage());
        }
        List<String> outcomes = new ArrayList<>();
        for (MlEvent event : events) {
            outcomes.add(event instanceof MlEvent.Refused refused
                    ? "event " + refused.id() + ": refused, " + refused.reason() + "; acknowledged" : handle(event));
        }
        return outcomes;
    }

    private String handle(MlEvent event) {
        if (event instanceof MlEvent.ModelRegistered registered) {
            if (!promotion.serves(registered.model())) {
                return "event " + event.id() + ": model '" + registered.model() + "' is not managed here; acknowledged";
            }
            return describe(event.id(), promotion.evaluate(registered.model(), registered.version(),
                    "event:" + event.id(), event.id()));
        }
        if (event instanceof MlEvent.RunFinished run) {
            if (!run.completed()) {
                return "event " + event.id() + ": run " + run.runId() + " ended " + run.status() + "; nothing to judge";
            }
            List<String> lines = new ArrayList<>();
            for (String model : promotion.models()) {
                for (ModelVersion v : registry.versions(model)) {
                    if (run.runId().equals(v.runId())) {
                        String key = event.id() + "/" + model + "/" + v.version();
                        lines.add(describe(event.id(), promotion.evaluate(model, v.version(), "event:" + event.id(), key)));
                    }
                }
            }
            return lines.isEmpty() ? "event " + event.id() + ": run " + run.runId() + " registered no managed version"
                    : String.join("; ", lines);
        }
        return "event " + event.id() + ": type " + ((MlEvent.Ignored) event).type() + " is not handled; acknowledged";
    }

    private static String describe(String eventId, Optional<Decision> decision) {
        return decision.map(d -> "event " + eventId + ": " + d.model() + ":" + d.version() + " " + d.outcome()
                + " (" + d.reason() + ", decision " + d.id() + ")")
                .orElse("event " + eventId + ": already handled; no-op");
    }
}

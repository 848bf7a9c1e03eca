package dev.greenlight.promotion;

import dev.greenlight.errors.BadRequest;
import dev.greenlight.events.BadEvent;
import dev.greenlight.events.EventParser;
import dev.greenlight.events.EventScope;
import dev.greenlight.events.MlEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What Greenlight does with an Azure ML event. A bad event (unparseable, an unknown model, an
 * invalid version, a type it does not handle) is acknowledged with its reason, so Event Grid
 * does not retry it forever; a dependency failure, or a version the registry does not list
 * yet, propagates, so Event Grid retries the delivery.
 */
public final class EventIntake {
    private final EventParser parser;
    private final PromotionService promotion;

    public EventIntake(PromotionService promotion, EventScope scope) {
        this.parser = new EventParser(scope);
        this.promotion = promotion;
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
            if (event instanceof MlEvent.Refused refused) {
                outcomes.add("event " + refused.id() + ": refused, " + refused.reason() + "; acknowledged");
                continue;
            }
            try {
                outcomes.add(handle(event));
            } catch (BadRequest bad) {
                outcomes.add("event " + event.id() + ": acknowledged: " + bad.detail());
            }
        }
        return outcomes;
    }

    private String handle(MlEvent event) {
        if (event instanceof MlEvent.ModelRegistered registered) {
            if (!promotion.serves(registered.model())) {
                return "event " + event.id() + ": model '" + dev.greenlight.errors.ClientValue.clip(registered.model())
                        + "' is not managed here; acknowledged";
            }
            return describe(event.id(), promotion.evaluate(registered.model(), registered.version(),
                    "event:" + event.id()));
        }
        if (event instanceof MlEvent.RunFinished run) {
            if (!run.completed() && !run.endedWithoutCompleting()) {
                return "event " + event.id() + ": run " + run.runId() + " is " + run.status() + "; nothing to do yet";
            }
            if (!run.completed()) {
                List<Decision> recorded = promotion.recordRunEnded(run.runId(), run.status(), "event:" + event.id(),
                        event.id());
                return "event " + event.id() + ": run " + run.runId() + " ended " + run.status() + "; "
                        + (recorded.isEmpty() ? "already recorded" : "recorded, nothing to judge");
            }
            List<String> lines = new ArrayList<>();
            for (String model : promotion.models()) {
                for (Decision d : promotion.evaluateRun(model, run.runId(), "event:" + event.id())) {
                    lines.add(describe(event.id(), Optional.of(d)));
                }
            }
            return lines.isEmpty() ? "event " + event.id() + ": run " + run.runId()
                    + " registered no managed version that is not judged yet" : String.join("; ", lines);
        }
        return "event " + event.id() + ": type " + ((MlEvent.Ignored) event).type() + " is not handled; acknowledged";
    }

    private static String describe(String eventId, Optional<Decision> decision) {
        return decision.map(d -> "event " + eventId + ": " + d.model() + ":" + d.version() + " " + d.outcome()
                + " (" + d.reason() + ", decision " + d.id() + ")")
                .orElse("event " + eventId + ": this registration was judged already; no-op");
    }
}

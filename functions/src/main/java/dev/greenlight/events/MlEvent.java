package dev.greenlight.events;

import java.util.Map;

/** An Azure ML event, reduced to what promotion needs. */
public sealed interface MlEvent permits MlEvent.ModelRegistered, MlEvent.RunFinished, MlEvent.Ignored,
        MlEvent.Refused {

    /** The delivery's event id: the key that makes a redelivery a no-op. */
    String id();

    /** {@code Microsoft.MachineLearningServices.ModelRegistered}. */
    record ModelRegistered(String id, String model, String version, Map<String, String> tags) implements MlEvent {
        public ModelRegistered {
            tags = Map.copyOf(tags);
        }
    }

    /** {@code RunCompleted}, or {@code RunStatusChanged} with its status ({@code Completed}, {@code Failed}...). */
    record RunFinished(String id, String runId, String experiment, String status) implements MlEvent {
        public boolean completed() {
            return "Completed".equalsIgnoreCase(status);
        }

        /**
         * Whether the run ended without completing ({@code Failed}, {@code Canceled},
         * {@code NotResponding}); {@code RunStatusChanged} also reports {@code Queued},
         * {@code Running} and the like, which end nothing.
         */
        public boolean endedWithoutCompleting() {
            return status != null && (status.equalsIgnoreCase("Failed") || status.equalsIgnoreCase("Canceled")
                    || status.equalsIgnoreCase("Cancelled") || status.equalsIgnoreCase("NotResponding"));
        }
    }

    /** A type promotion does not act on; acknowledged and logged. */
    record Ignored(String id, String type) implements MlEvent {
    }

    /**
     * An element of a delivery that is not acted on: not an event, from another topic than the
     * configured registry, or naming something unusable. Acknowledged with its reason, never
     * retried; {@code id} is the event's id, or {@code #n} (its place in the batch) when it has none.
     */
    record Refused(String id, String reason) implements MlEvent {
    }
}

package dev.greenlight.promotion;

import dev.greenlight.gate.Check;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One recorded verdict: which version, what happened, every check with its observed values,
 * who or what asked (event id, CLI user, HTTP caller), and the baseline before and after.
 *
 * @param generation the pointer generation after this decision
 */
public record Decision(String id, String model, String version, Outcome outcome, String reason,
                       List<Check> checks, String actor, String fromVersion, String toVersion,
                       long generation, Instant at) {
    public Decision {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(outcome, "outcome");
        checks = List.copyOf(checks);
        Objects.requireNonNull(at, "at");
    }
}

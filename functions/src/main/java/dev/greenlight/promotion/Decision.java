package dev.greenlight.promotion;

import dev.greenlight.fanout.RefreshOutcome;
import dev.greenlight.gate.Check;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One recorded verdict: which version, what happened, every check with its observed values,
 * who or what asked (event id, CLI user, HTTP caller), and the baseline before and after.
 *
 * @param generation the pointer generation after this decision
 * @param refresh    after a flip, what each refresh target answered (filled in once the fan-out ends)
 */
public record Decision(String id, String model, String version, Outcome outcome, String reason,
                       List<Check> checks, String actor, String fromVersion, String toVersion,
                       long generation, Instant at, List<RefreshOutcome> refresh) {
    public Decision {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(outcome, "outcome");
        checks = List.copyOf(checks);
        Objects.requireNonNull(at, "at");
        refresh = refresh == null ? List.of() : List.copyOf(refresh);
    }

    Decision withRefresh(List<RefreshOutcome> outcomes) {
        return new Decision(id, model, version, outcome, reason, checks, actor, fromVersion, toVersion, generation, at,
                outcomes);
    }
}

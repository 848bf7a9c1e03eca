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
 * @param generation   the pointer generation after this decision
 * @param refresh      after a flip, what each refresh target answered (filled in once the fan-out ends)
 * @param registration the registration this decision judged ({@link Registrations#key}); null for a
 *                     rollback, an adoption or a run that registered nothing. One registration is judged
 *                     automatically (by an event or the sync check) at most once.
 * @param requestId    the operator's request id: a repeated request returns this decision
 * @param forced       promoted by an operator despite failed checks
 * @param runId        the Azure ML run this decision is about, when a run asked for it
 */
public record Decision(String id, String model, String version, Outcome outcome, String reason,
                       List<Check> checks, String actor, String fromVersion, String toVersion,
                       long generation, Instant at, List<RefreshOutcome> refresh,
                       String registration, String requestId, boolean forced, String runId) {
    public Decision {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(outcome, "outcome");
        checks = List.copyOf(checks);
        Objects.requireNonNull(at, "at");
        refresh = refresh == null ? List.of() : List.copyOf(refresh);
    }

    /** Whether this decision moved the baseline (and so publishes a pointer and retags). */
    public boolean flips() {
        switch (outcome) {
            case PROMOTED:
            case ROLLED_BACK:
            case ADOPTED:
                return true;
            case REJECTED:
            case PENDING:
            case SKIPPED:
                return false;
        }
        throw new AssertionError(outcome);
    }

    Decision withRefresh(List<RefreshOutcome> outcomes) {
        return new Decision(id, model, version, outcome, reason, checks, actor, fromVersion, toVersion, generation, at,
                outcomes, registration, requestId, forced, runId);
    }
}

package dev.greenlight.promotion;

import dev.greenlight.gate.Check;
import dev.greenlight.gate.Gate;
import dev.greenlight.gate.GatePolicy;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Turns gate verdicts into decisions and the next ledger. Pure: no store, no registry, no
 * effects, so every rule of who becomes the baseline reads in one place.
 */
final class Decider {
    private final GatePolicy policy;
    private final Clock clock;

    Decider(GatePolicy policy, Clock clock) {
        this.policy = policy;
        this.clock = clock;
    }

    /** A decision and the ledger it leads to. */
    record Made(Decision decision, Ledger next) {
    }

    /** Who asked and under which ids. */
    record Ask(String id, String actor, String registration, String requestId, String runId) {
        static Ask operator(String model, String actor, String registration, Optional<String> requestId) {
            return new Ask(requestId.map(r -> Registrations.requestDecisionId(model, r)).orElseGet(Decider::newId),
                    actor, registration, requestId.orElse(null), null);
        }
    }

    /** An automatic judgement (event or sync): reject, hold for approval, or promote. */
    Made judge(Ledger ledger, String version, Optional<String> sha256, Gate.Verdict verdict, Ask ask) {
        if (!verdict.passed()) {
            return record(ledger, decision(ledger, version, Outcome.REJECTED, reason(verdict), verdict.checks(), ask, false));
        }
        if (policy.mode() == GatePolicy.Mode.MANUAL) {
            return record(ledger, decision(ledger, version, Outcome.PENDING, "passed; waiting for approval (manual mode)",
                    verdict.checks(), ask, false));
        }
        return promote(ledger, version, sha256.orElseThrow(), "passed every check", verdict.checks(), ask, false);
    }

    /** Nothing to judge: the version already is the baseline. */
    Made alreadyBaseline(Ledger ledger, String version, Ask ask) {
        return record(ledger, decision(ledger, version, Outcome.SKIPPED, "already the baseline", List.of(), ask, false));
    }

    /** A version of a run that passed but was not the best of its run. */
    Made outscored(Ledger ledger, String version, Gate.Verdict verdict, String winner, String why, Ask ask) {
        return record(ledger, decision(ledger, version, Outcome.REJECTED, "passed, but version " + winner
                + " of the same run " + why, verdict.checks(), ask, false));
    }

    /** An operator's promotion: an approval, a pass, or forced despite failed checks. */
    Made operatorPromotion(Ledger ledger, String version, String sha256, Gate.Verdict verdict, Ask ask) {
        String why = verdict.passed() ? (ledger.pending().contains(version) ? "approved" : "passed every check")
                : "forced by " + ask.actor() + " despite: " + reason(verdict);
        return promote(ledger, version, sha256, why, verdict.checks(), ask, !verdict.passed());
    }

    /** An operator's promotion that the gate refused (recorded; nothing moves). */
    Made refused(Ledger ledger, String version, Gate.Verdict verdict, Ask ask) {
        return record(ledger, decision(ledger, version, Outcome.REJECTED, reason(verdict), verdict.checks(), ask, false));
    }

    Made rollback(Ledger ledger, Ledger.Baseline target, Ask ask) {
        Decision d = decision(ledger, target.version(), Outcome.ROLLED_BACK, "rolled back from "
                + ledger.baseline().map(Ledger.Baseline::version).orElse("none") + " to " + target.version(), List.of(),
                ask, false);
        return new Made(d, ledger.flip(new Ledger.Baseline(target.version(), target.sha256(), clock.instant(), d.id()),
                d, false));
    }

    /** A run that ended without completing: recorded, nothing judged. */
    Made runEnded(Ledger ledger, String runId, String status, Ask ask) {
        Decision d = new Decision(ask.id(), ledger.model(), null, Outcome.SKIPPED, "run " + runId + " ended " + status
                + "; nothing to judge", List.of(), ask.actor(), current(ledger), current(ledger), ledger.generation(),
                clock.instant(), List.of(), null, null, false, runId);
        return record(ledger, d);
    }

    /** The candidate's primary metric, oriented so that higher is better; empty when it has none. */
    Optional<Double> score(java.util.Map<String, String> metrics) {
        String raw = metrics.get(policy.primaryMetric());
        if (raw == null) {
            return Optional.empty();
        }
        try {
            double v = Double.parseDouble(raw.trim());
            return Double.isFinite(v) ? Optional.of(policy.higherIsBetter() ? v : -v) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    String primaryMetric() {
        return policy.primaryMetric();
    }

    private Made promote(Ledger ledger, String version, String sha256, String why, List<Check> checks, Ask ask,
                         boolean forced) {
        Decision d = new Decision(ask.id(), ledger.model(), version, Outcome.PROMOTED, why, checks, ask.actor(),
                current(ledger), version, ledger.generation() + 1, clock.instant(), List.of(), ask.registration(),
                ask.requestId(), forced, ask.runId());
        return new Made(d, ledger.flip(new Ledger.Baseline(version, sha256, clock.instant(), d.id()), d, true));
    }

    private static Made record(Ledger ledger, Decision d) {
        return new Made(d, ledger.record(d));
    }

    private Decision decision(Ledger ledger, String version, Outcome outcome, String reason, List<Check> checks,
                              Ask ask, boolean forced) {
        String from = current(ledger);
        String to = outcome == Outcome.PROMOTED || outcome == Outcome.ROLLED_BACK ? version : from;
        long generation = outcome == Outcome.ROLLED_BACK ? ledger.generation() + 1 : ledger.generation();
        return new Decision(ask.id(), ledger.model(), version, outcome, reason, checks, ask.actor(), from, to,
                generation, clock.instant(), List.of(), ask.registration(), ask.requestId(), forced, ask.runId());
    }

    private static String current(Ledger ledger) {
        return ledger.baseline().map(Ledger.Baseline::version).orElse(null);
    }

    static String newId() {
        return "d-" + UUID.randomUUID();
    }

    static String reason(Gate.Verdict verdict) {
        StringBuilder why = new StringBuilder("failed ");
        List<Check> failures = verdict.failures();
        for (int i = 0; i < failures.size(); i++) {
            Check c = failures.get(i);
            why.append(i == 0 ? "" : "; ").append(c.name()).append(" (").append(c.observed()).append(", required ")
                    .append(c.required()).append(")");
        }
        return why.toString();
    }
}

package dev.greenlight.promotion;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Per model: the baseline (the pointer's source of truth), the stack of earlier baselines for
 * rollback, candidates pending approval and the recent decisions (older ones are archived by
 * {@link LedgerStore}). Immutable: every change makes a new ledger, written optimistically.
 * A decision made for an event carries an id derived from the event, which is what makes a
 * redelivery a no-op.
 */
public record Ledger(String model, long generation, Optional<Baseline> baseline, List<Baseline> history,
                     List<String> pending, List<Decision> decisions) {

    /** How many earlier baselines rollback can go back to. */
    static final int HISTORY_KEPT = 20;

    /** A version that is or was the baseline. */
    public record Baseline(String version, String sha256, Instant since, String decisionId) {
    }

    public Ledger {
        history = List.copyOf(history);
        pending = List.copyOf(pending);
        decisions = List.copyOf(decisions);
    }

    public static Ledger empty(String model) {
        return new Ledger(model, 0, Optional.empty(), List.of(), List.of(), List.of());
    }

    /** The ledger of a model seen for the first time, holding the baseline it already had. */
    static Ledger adopted(String model, long generation, Baseline baseline, Decision adoption) {
        return new Ledger(model, generation, Optional.of(baseline), List.of(), List.of(), List.of(adoption));
    }

    /** The decision that made the current generation, if it is still in the ledger. */
    Optional<Decision> lastFlip() {
        for (int i = decisions.size() - 1; i >= 0; i--) {
            Decision d = decisions.get(i);
            if (d.flips()) {
                return d.generation() == generation ? Optional.of(d) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    public boolean hasDecision(String id) {
        return decision(id).isPresent();
    }

    /** A recent decision by id. */
    public Optional<Decision> decision(String id) {
        return decisions.stream().filter(d -> d.id().equals(id)).findFirst();
    }

    /** The recent decision that judged this registration, if any (older ones are in the archive). */
    Optional<Decision> judgement(String registrationKey) {
        return decisions.stream().filter(d -> registrationKey.equals(d.registration()) && judges(d)).findFirst();
    }

    /** Whether a decision is a judgement of its registration (so an event or sync does not judge it again). */
    static boolean judges(Decision d) {
        switch (d.outcome()) {
            case PROMOTED:
            case REJECTED:
            case PENDING:
            case SKIPPED:
            case ADOPTED:
                return true;
            case ROLLED_BACK:
                return false;
        }
        throw new AssertionError(d.outcome());
    }

    public boolean isBaseline(String version) {
        return baseline.map(b -> b.version().equals(version)).orElse(false);
    }

    Ledger keepingDecisions(List<Decision> kept) {
        return new Ledger(model, generation, baseline, history, pending, kept);
    }

    /** Records a decision that leaves the baseline as it is. */
    Ledger record(Decision decision) {
        List<String> nextPending = new ArrayList<>(pending);
        switch (decision.outcome()) {
            case PENDING:
                if (!nextPending.contains(decision.version())) {
                    nextPending.add(decision.version());
                }
                break;
            case REJECTED:
                nextPending.remove(decision.version());
                break;
            case SKIPPED:
            case PROMOTED:
            case ROLLED_BACK:
            case ADOPTED:
                break;
        }
        return new Ledger(model, generation, baseline, history, nextPending, append(decision));
    }

    /** Records each decision in turn; at most one of them may flip. */
    Ledger apply(List<Decision> made, Baseline flipTo, boolean pushCurrent) {
        Ledger next = this;
        for (Decision d : made) {
            next = d.flips() ? next.flip(flipTo, d, pushCurrent) : next.record(d);
        }
        return next;
    }

    /** Makes {@code next} the baseline (a promotion or a rollback): one generation more. */
    Ledger flip(Baseline next, Decision decision, boolean pushCurrent) {
        List<Baseline> nextHistory = new ArrayList<>();
        if (pushCurrent) {
            baseline.ifPresent(nextHistory::add);
            nextHistory.addAll(history);
        } else {
            // A rollback pops the stack down to the version it returns to.
            int at = indexOf(history, next.version());
            nextHistory.addAll(at < 0 ? history : history.subList(at + 1, history.size()));
        }
        List<String> nextPending = new ArrayList<>(pending);
        nextPending.remove(next.version());
        return new Ledger(model, generation + 1, Optional.of(next),
                nextHistory.subList(0, Math.min(HISTORY_KEPT, nextHistory.size())), nextPending, append(decision));
    }

    /** Replaces a recorded decision by a later copy of itself (the fan-out outcome added). */
    Ledger withDecision(Decision updated) {
        List<Decision> next = new ArrayList<>(decisions);
        next.replaceAll(d -> d.id().equals(updated.id()) ? updated : d);
        return new Ledger(model, generation, baseline, history, pending, next);
    }

    Optional<Baseline> previous() {
        return history.isEmpty() ? Optional.empty() : Optional.of(history.get(0));
    }

    Optional<Baseline> fromHistory(String version) {
        int at = indexOf(history, version);
        return at < 0 ? Optional.empty() : Optional.of(history.get(at));
    }

    private static int indexOf(List<Baseline> list, String version) {
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).version().equals(version)) {
                return i;
            }
        }
        return -1;
    }


    private List<Decision> append(Decision decision) {
        List<Decision> next = new ArrayList<>(decisions);
        next.add(decision);
        return next;
    }
}

package dev.greenlight.promotion;

import dev.greenlight.errors.Conflict;
import dev.greenlight.fanout.BaselineChangedPublisher;
import dev.greenlight.fanout.RefreshFanout;
import dev.greenlight.fanout.RefreshOutcome;
import dev.greenlight.errors.NotFound;
import dev.greenlight.errors.Unavailable;
import dev.greenlight.gate.Candidate;
import dev.greenlight.gate.Check;
import dev.greenlight.gate.Gate;
import dev.greenlight.gate.GatePolicy;
import dev.greenlight.registry.ModelRegistry;
import dev.greenlight.registry.ModelVersion;
import dev.greenlight.store.Pointer;
import dev.greenlight.store.PointerStore;
import dev.greenlight.store.StoreConflict;
import dev.greenlight.store.Versioned;
import java.io.IOException;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Judges candidates and moves the baseline: every decision is one optimistic write of the
 * model's ledger (a lost race re-reads and re-decides, never overwrites). After a flip or
 * rollback it publishes the pointer every instance polls, then moves the registry tags (the new
 * baseline tagged first, the old untagged second, so a tagged baseline always exists), then
 * tells this instance's serving cache.
 */
public final class PromotionService {
    private static final Logger LOG = Logger.getLogger(PromotionService.class.getName());
    private static final int MAX_ATTEMPTS = 20;

    private final List<String> models;
    private final ModelRegistry registry;
    private final LedgerStore ledgers;
    private final PointerStore pointers;
    private final CandidateProbe probe;
    private final Gate gate;
    private final String baselineTag;
    private final String candidateTag;
    private final Consumer<String> onFlip;
    private final Optional<RefreshFanout> fanout;
    private final Optional<BaselineChangedPublisher> events;
    private final ExecutorService background;
    private final Clock clock;

    public PromotionService(List<String> models, ModelRegistry registry, LedgerStore ledgers, PointerStore pointers,
                            CandidateProbe probe, Gate gate, String baselineTag, String candidateTag,
                            Consumer<String> onFlip, Optional<RefreshFanout> fanout,
                            Optional<BaselineChangedPublisher> events, Clock clock) {
        this.models = List.copyOf(models);
        this.registry = registry;
        this.ledgers = ledgers;
        this.pointers = pointers;
        this.probe = probe;
        this.gate = gate;
        this.baselineTag = baselineTag;
        this.candidateTag = candidateTag;
        this.onFlip = onFlip;
        this.fanout = fanout;
        this.events = events;
        this.clock = clock;
        this.background = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "greenlight-after-flip");
            t.setDaemon(true);
            return t;
        });
    }

    public boolean serves(String model) {
        return models.contains(model);
    }

    public List<String> models() {
        return models;
    }

    /**
     * Judges a registered version, as a {@code ModelRegistered} event or a sync asks. The
     * decision's id derives from {@code eventKey} (when given), so a redelivered event finds its
     * decision, in the ledger or the archive, and returns empty: one decision per event.
     */
    public Optional<Decision> evaluate(String model, String version, String actor, String eventKey) {
        requireModel(model);
        String id = eventKey == null ? newId() : eventDecisionId(eventKey);
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Versioned<Ledger> read = readLedger(model);
            Ledger ledger = read.value();
            if (eventKey != null && (ledger.hasDecision(id) || ledgers.archived(model, id))) {
                return Optional.empty();
            }
            Optional<ModelVersion> found = find(model, version);
            Decision decision;
            Ledger next;
            if (found.isEmpty()) {
                decision = decision(id, model, version, Outcome.REJECTED, "version " + version + " is not in the registry",
                        List.of(), actor, ledger, ledger.generation());
                next = ledger.record(decision);
            } else if (ledger.baseline().map(b -> b.version().equals(version)).orElse(false)) {
                decision = decision(id, model, version, Outcome.SKIPPED, "already the baseline", List.of(), actor,
                        ledger, ledger.generation());
                next = ledger.record(decision);
            } else {
                CandidateProbe.Probe probed = probe.probe(found.get());
                Gate.Verdict verdict = gate.judge(probed.candidate(), baselineCandidate(model, ledger));
                if (!verdict.passed()) {
                    decision = decision(id, model, version, Outcome.REJECTED, reason(verdict), verdict.checks(), actor,
                            ledger, ledger.generation());
                    next = ledger.record(decision);
                } else if (gate.policy().mode() == GatePolicy.Mode.MANUAL) {
                    decision = decision(id, model, version, Outcome.PENDING, "passed; waiting for approval (manual mode)",
                            verdict.checks(), actor, ledger, ledger.generation());
                    next = ledger.record(decision);
                } else {
                    decision = decision(id, model, version, Outcome.PROMOTED, "passed every check", verdict.checks(),
                            actor, ledger, ledger.generation() + 1);
                    next = ledger.flip(new Ledger.Baseline(version, probed.sha256().orElseThrow(), clock.instant(),
                            decision.id()), decision, true);
                }
            }
            if (commit(next, read.etag())) {
                afterCommit(next, decision, ledger);
                return Optional.of(decision);
            }
        }
        throw new Unavailable("ledger_contended", "the ledger of " + model + " kept changing; try again");
    }

    /**
     * Makes {@code version} the baseline on an operator's word: approves a pending candidate or,
     * in any mode, promotes one that passes the gate; {@code force} flips even when it fails
     * (the failed checks are still recorded).
     */
    public Decision promote(String model, String version, boolean force, String actor) {
        requireModel(model);
        ModelVersion found = find(model, version).orElseThrow(() -> new NotFound("unknown_version",
                "version " + version + " of model " + model + " is not in the registry"));
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Versioned<Ledger> read = readLedger(model);
            Ledger ledger = read.value();
            if (ledger.baseline().map(b -> b.version().equals(version)).orElse(false)) {
                throw new Conflict("already_baseline", "version " + version + " of " + model + " is already the baseline");
            }
            CandidateProbe.Probe probed = probe.probe(found);
            Gate.Verdict verdict = gate.judge(probed.candidate(), baselineCandidate(model, ledger));
            if (probed.sha256().isEmpty()) {
                throw new Unavailable("artifact_unavailable", "the artifact of " + model + ":" + version
                        + " could not be fetched: " + probed.candidate().loadError().orElse("unknown"));
            }
            if (!verdict.passed() && !force) {
                Decision rejected = decision(model, version, Outcome.REJECTED, reason(verdict), verdict.checks(), actor,
                        ledger, ledger.generation());
                if (commit(ledger.record(rejected), read.etag())) {
                    throw new Conflict("gate_rejected", rejected.reason() + " (decision " + rejected.id()
                            + "; use force to promote anyway)");
                }
                continue;
            }
            String why = verdict.passed() ? (ledger.pending().contains(version) ? "approved" : "passed every check")
                    : "forced by " + actor + " despite: " + reason(verdict);
            Decision decision = decision(model, version, Outcome.PROMOTED, why, verdict.checks(), actor, ledger,
                    ledger.generation() + 1);
            Ledger next = ledger.flip(new Ledger.Baseline(version, probed.sha256().get(), clock.instant(),
                    decision.id()), decision, true);
            if (commit(next, read.etag())) {
                afterCommit(next, decision, ledger);
                return decision;
            }
        }
        throw new Unavailable("ledger_contended", "the ledger of " + model + " kept changing; try again");
    }

    /** Returns to the previous baseline, or to {@code toVersion} when given. Recorded like any decision. */
    public Decision rollback(String model, Optional<String> toVersion, String actor) {
        requireModel(model);
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Versioned<Ledger> read = readLedger(model);
            Ledger ledger = read.value();
            Ledger.Baseline target;
            if (toVersion.isPresent()) {
                String v = toVersion.get();
                if (ledger.baseline().map(b -> b.version().equals(v)).orElse(false)) {
                    throw new Conflict("already_baseline", "version " + v + " of " + model + " is already the baseline");
                }
                Optional<Ledger.Baseline> earlier = ledger.fromHistory(v);
                if (earlier.isPresent()) {
                    target = earlier.get();
                } else {
                    ModelVersion found = find(model, v).orElseThrow(() -> new NotFound("unknown_version",
                            "version " + v + " of model " + model + " is not in the registry"));
                    String sha = probe.probe(found).sha256().orElseThrow(() -> new Unavailable(
                            "artifact_unavailable", "the artifact of " + model + ":" + v + " could not be fetched"));
                    target = new Ledger.Baseline(v, sha, clock.instant(), null);
                }
            } else {
                target = ledger.previous().orElseThrow(() -> new Conflict("no_previous_baseline",
                        "model " + model + " has no earlier baseline to roll back to"));
            }
            Decision decision = decision(model, target.version(), Outcome.ROLLED_BACK,
                    "rolled back from " + ledger.baseline().map(Ledger.Baseline::version).orElse("none")
                            + " to " + target.version(), List.of(), actor, ledger, ledger.generation() + 1);
            Ledger next = ledger.flip(new Ledger.Baseline(target.version(), target.sha256(), clock.instant(),
                    decision.id()), decision, false);
            if (commit(next, read.etag())) {
                afterCommit(next, decision, ledger);
                return decision;
            }
        }
        throw new Unavailable("ledger_contended", "the ledger of " + model + " kept changing; try again");
    }

    /** The most recent decisions, newest first. */
    public List<Decision> decisions(String model, int limit) {
        requireModel(model);
        List<Decision> all = readLedger(model).value().decisions();
        int from = Math.max(0, all.size() - Math.max(1, limit));
        List<Decision> recent = new java.util.ArrayList<>(all.subList(from, all.size()));
        java.util.Collections.reverse(recent);
        return recent;
    }

    public Optional<Ledger> ledger(String model) {
        requireModel(model);
        return ledgers.read(model).map(Versioned::value);
    }

    /** The ledger, or, for a model that has none yet, one adopted from its pointer. */
    Ledger currentLedger(String model) {
        requireModel(model);
        return readLedger(model).value();
    }

    /**
     * Adopts what the pointer already says when a model has no ledger yet (a data folder seeded
     * before promotion existed, or a pointer set by hand), so the first decision has a baseline.
     */
    private Versioned<Ledger> readLedger(String model) {
        Optional<Versioned<Ledger>> ledger = ledgers.read(model);
        if (ledger.isPresent()) {
            return ledger.get();
        }
        Optional<Versioned<Pointer>> pointer = pointers.read(model);
        Ledger empty = Ledger.empty(model);
        if (pointer.isEmpty()) {
            return new Versioned<>(empty, "");
        }
        Pointer p = pointer.get().value();
        Ledger adopted = new Ledger(model, p.generation(), Optional.of(new Ledger.Baseline(p.version(), p.sha256(),
                p.updatedAt(), null)), List.of(), List.of(), List.of());
        return new Versioned<>(adopted, "");
    }

    private boolean commit(Ledger next, String etag) {
        try {
            ledgers.write(next, etag.isEmpty() ? null : etag);
            return true;
        } catch (StoreConflict lost) {
            // Someone else decided first: re-read and decide again, after a short random pause so
            // that many writers on one ledger do not keep colliding in lockstep.
            java.util.concurrent.locks.LockSupport.parkNanos(
                    java.util.concurrent.ThreadLocalRandom.current().nextLong(200_000, 5_000_000));
            return false;
        }
    }

    private void afterCommit(Ledger next, Decision decision, Ledger before) {
        LOG.info(() -> decision.model() + ":" + decision.version() + " " + decision.outcome() + " - "
                + decision.reason() + " (" + decision.actor() + ", decision " + decision.id() + ")");
        switch (decision.outcome()) {
            case PROMOTED:
            case ROLLED_BACK:
                Pointer published = publishPointer(next);
                retag(next, before);
                onFlip.accept(next.model());
                fanout.ifPresent(f -> background.execute(() -> refreshTargets(f, published, decision)));
                events.ifPresent(p -> background.execute(() -> announce(p, decision, published)));
                break;
            case REJECTED:
            case PENDING:
            case SKIPPED:
                break;
        }
    }

    /** Writes the pointer the instances poll; only ever forward, whatever the order of writers. */
    Pointer publishPointer(Ledger ledger) {
        Ledger.Baseline baseline = ledger.baseline().orElseThrow();
        Pointer pointer = new Pointer(ledger.model(), baseline.version(), baseline.sha256(), ledger.generation(),
                clock.instant());
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Optional<Versioned<Pointer>> current = pointers.read(ledger.model());
            if (current.isPresent() && current.get().value().generation() >= ledger.generation()) {
                return pointer; // a later flip already published
            }
            try {
                pointers.write(pointer, current.map(Versioned::etag).orElse(null));
                return pointer;
            } catch (StoreConflict lost) {
                // re-read: someone published meanwhile
            }
        }
        return pointer;
    }

    /**
     * Adds the answers of re-sent refresh calls to a flip's decision, replacing the earlier
     * answers of the same targets.
     */
    public void mergeRefresh(String model, String decisionId, List<RefreshOutcome> outcomes) {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Versioned<Ledger> read = readLedger(model);
            Optional<Decision> decision = read.value().decisions().stream().filter(d -> d.id().equals(decisionId))
                    .findFirst();
            if (decision.isEmpty()) {
                return;
            }
            List<RefreshOutcome> merged = new java.util.ArrayList<>(decision.get().refresh());
            merged.removeIf(old -> outcomes.stream().anyMatch(o -> o.target().equals(old.target())));
            merged.addAll(outcomes);
            if (commit(read.value().withDecision(decision.get().withRefresh(merged)), read.etag())) {
                return;
            }
        }
    }

    /** Publishes BaselineChanged off the flip's path; a missed event is logged, never blocks a flip. */
    private void announce(BaselineChangedPublisher publisher, Decision decision, Pointer pointer) {
        try {
            publisher.publish(new BaselineChangedPublisher.BaselineChange(pointer.model(), decision.fromVersion(),
                    pointer.version(), pointer.generation(), decision.id(), decision.outcome().name()));
        } catch (RuntimeException e) {
            LOG.warning("BaselineChanged for " + pointer.model() + ":" + pointer.version() + " not published: "
                    + e.getMessage());
        }
    }

    /** Runs off the flip's path: calls every target, then adds their answers to the decision. */
    private void refreshTargets(RefreshFanout fanout, Pointer pointer, Decision decision) {
        List<RefreshOutcome> outcomes = fanout.fanOut(pointer);
        long confirmed = outcomes.stream().filter(RefreshOutcome::confirmed).count();
        LOG.info(() -> "refresh of " + pointer.model() + ":" + pointer.version() + ": " + confirmed + " of "
                + outcomes.size() + " targets confirmed");
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Versioned<Ledger> read = readLedger(pointer.model());
            if (commit(read.value().withDecision(decision.withRefresh(outcomes)), read.etag())) {
                return;
            }
        }
        LOG.warning("could not record the refresh outcome of decision " + decision.id());
    }

    private void retag(Ledger next, Ledger before) {
        String model = next.model();
        String newVersion = next.baseline().orElseThrow().version();
        try {
            ModelVersion promoted = find(model, newVersion).orElse(null);
            if (promoted != null) {
                Map<String, String> tags = new HashMap<>(promoted.tags());
                tags.put(baselineTag, "true");
                tags.remove(candidateTag);
                registry.setTags(model, newVersion, tags);
            }
            Optional<String> oldVersion = before.baseline().map(Ledger.Baseline::version)
                    .filter(v -> !v.equals(newVersion));
            if (oldVersion.isPresent()) {
                Optional<ModelVersion> old = find(model, oldVersion.get());
                if (old.isPresent() && old.get().tags().containsKey(baselineTag)) {
                    Map<String, String> tags = new HashMap<>(old.get().tags());
                    tags.remove(baselineTag);
                    registry.setTags(model, oldVersion.get(), tags);
                }
            }
        } catch (IOException | RuntimeException e) {
            // The pointer is the truth and is already committed; the sync check repairs tags.
            LOG.warning("registry tags of " + model + " not updated after generation " + next.generation() + ": "
                    + e.getMessage());
        }
    }

    private Optional<Candidate> baselineCandidate(String model, Ledger ledger) {
        return ledger.baseline().flatMap(b -> find(model, b.version())).map(v -> probe.probe(v).candidate());
    }

    private Optional<ModelVersion> find(String model, String version) {
        try {
            return registry.find(model, version);
        } catch (RuntimeException e) {
            throw new Unavailable("registry_unavailable", "the registry could not be read: " + e.getMessage(), e);
        }
    }

    private Decision decision(String model, String version, Outcome outcome, String reason, List<Check> checks,
                              String actor, Ledger ledger, long generation) {
        return decision(newId(), model, version, outcome, reason, checks, actor, ledger, generation);
    }

    private static String newId() {
        return "d-" + UUID.randomUUID();
    }

    /** A stable, file-safe id for the decision an event asks for. */
    static String eventDecisionId(String eventKey) {
        return "evt-" + dev.greenlight.store.Digests.sha256(eventKey.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .substring(0, 32);
    }

    private Decision decision(String id, String model, String version, Outcome outcome, String reason,
                              List<Check> checks, String actor, Ledger ledger, long generation) {
        String from = ledger.baseline().map(Ledger.Baseline::version).orElse(null);
        String to = switch (outcome) {
            case PROMOTED, ROLLED_BACK -> version;
            case REJECTED, PENDING, SKIPPED -> from;
        };
        return new Decision(id, model, version, outcome, reason, checks, actor, from, to,
                generation, clock.instant(), List.of());
    }

    private static String reason(Gate.Verdict verdict) {
        StringBuilder why = new StringBuilder("failed ");
        List<Check> failures = verdict.failures();
        for (int i = 0; i < failures.size(); i++) {
            Check c = failures.get(i);
            why.append(i == 0 ? "" : "; ").append(c.name()).append(" (").append(c.observed()).append(", required ")
                    .append(c.required()).append(")");
        }
        return why.toString();
    }

    private void requireModel(String model) {
        if (!serves(model)) {
            throw new NotFound("unknown_model", "model '" + model + "' is not managed here; managed models: "
                    + String.join(", ", models));
        }
    }
}

package dev.greenlight.promotion;

import dev.greenlight.errors.BadRequest;
import dev.greenlight.errors.ClientValue;
import dev.greenlight.errors.Conflict;
import dev.greenlight.errors.GreenlightException;
import dev.greenlight.errors.NotFound;
import dev.greenlight.errors.Unavailable;
import dev.greenlight.fanout.BaselineChangedPublisher;
import dev.greenlight.fanout.RefreshFanout;
import dev.greenlight.gate.Candidate;
import dev.greenlight.gate.Gate;
import dev.greenlight.registry.ModelRegistry;
import dev.greenlight.registry.ModelVersion;
import dev.greenlight.registry.VersionId;
import dev.greenlight.store.PointerStore;
import dev.greenlight.store.StoreConflict;
import dev.greenlight.store.Versioned;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Judges candidates and moves the baseline. Every change is one {@link LedgerStore#update} (a
 * lost race re-reads and re-decides, never overwrites); the rules of who becomes the baseline
 * are in {@link Decider}; what follows a flip is {@link FlipEffects}. Before anything else, a
 * flip that was committed but whose pointer was never published is completed, and a model seen
 * for the first time adopts the baseline it already has ({@link FirstSight}).
 *
 * <p>A registration is judged automatically (by its event, its run's event or the sync check)
 * at most once, whoever comes first; an operator may decide again. A repeated operator request
 * (same request id) returns the decision it already made.
 */
public final class PromotionService implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(PromotionService.class.getName());
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private final List<String> models;
    private final ModelRegistry registry;
    private final LedgerStore ledgers;
    private final CandidateProbe probe;
    private final Gate gate;
    private final Decider decider;
    private final FirstSight firstSight;
    private final FlipEffects effects;
    private final BaselineTags tags;

    private PromotionService(Builder b) {
        this.models = List.copyOf(b.models);
        this.registry = Objects.requireNonNull(b.registry, "registry");
        this.ledgers = Objects.requireNonNull(b.ledgers, "ledgers");
        this.probe = Objects.requireNonNull(b.probe, "probe");
        this.gate = Objects.requireNonNull(b.gate, "gate");
        Clock clock = b.clock;
        this.decider = new Decider(gate.policy(), clock);
        this.tags = new BaselineTags(registry, b.baselineTag, b.candidateTag);
        this.firstSight = new FirstSight(registry, b.pointers, b.baselineTag, v -> probe.probe(v).sha256(), clock);
        this.effects = new FlipEffects(b.pointers, ledgers, tags, b.onFlip, b.fanout, b.events, clock);
    }

    public static Builder builder() {
        return new Builder();
    }

    public boolean serves(String model) {
        return models.contains(model);
    }

    public List<String> models() {
        return models;
    }

    /**
     * Judges a registered version, as an event or the sync check asks. Empty when this
     * registration was judged already (by an event, a run, the sync check or an operator).
     *
     * @throws Unavailable {@code version_not_visible} when the registry does not list the version
     *                     (yet): Event Grid retries the delivery, and the sync check judges it once it appears
     */
    public Optional<Decision> evaluate(String model, String version, String actor) {
        requireModel(model);
        requireVersion(version);
        ModelVersion found = find(model, version).orElseThrow(() -> notVisible(model, version));
        String key = Registrations.key(found);
        current(model); // completes a half-written flip and adopts on first sight; the update checks the judgement
        Decider.Made made = ledgers.update(model, firstSight::ledger, ledger -> {
            if (judged(ledger, key)) {
                return LedgerStore.Change.none(null);
            }
            Decider.Ask ask = new Decider.Ask(Registrations.decisionId(key), actor, key, null, found.runId());
            if (ledger.isBaseline(version)) {
                return write(decider.alreadyBaseline(ledger, version, ask));
            }
            CandidateProbe.Probe probed = probe.probe(found);
            Gate.Verdict verdict = judge(model, version, probed, ledger);
            return write(decider.judge(ledger, version, probed.sha256(), verdict, ask));
        });
        if (made == null) {
            return Optional.empty();
        }
        after(made);
        return Optional.of(made.decision());
    }

    /**
     * Judges the versions a completed run registered, as a whole: each against the current
     * baseline, then at most one promoted (the best by the primary metric among those that pass;
     * the newest on a tie) and the others recorded with why they were not.
     *
     * @return the decisions made, empty when the run registered nothing undecided
     */
    public List<Decision> evaluateRun(String model, String runId, String actor) {
        requireModel(model);
        List<ModelVersion> ofRun = registry.versions(model).stream().filter(v -> runId.equals(v.runId()))
                .sorted(Comparator.comparing(ModelVersion::createdAt)).toList();
        if (ofRun.isEmpty()) {
            return List.of();
        }
        current(model);
        List<Decider.Made> made = ledgers.update(model, firstSight::ledger, ledger -> {
            List<ModelVersion> open = ofRun.stream().filter(v -> !judged(ledger, Registrations.key(v))
                    && !ledger.isBaseline(v.version())).toList();
            if (open.isEmpty()) {
                return LedgerStore.Change.none(List.<Decider.Made>of());
            }
            Optional<Candidate> baseline = baselineCandidate(model, ledger);
            List<RunMember> members = new ArrayList<>();
            for (ModelVersion v : open) {
                CandidateProbe.Probe probed = probe.probe(v);
                Gate.Verdict verdict = judge(model, v.version(), probed, baseline);
                members.add(new RunMember(v, probed, verdict, decider.score(probed.candidate().metrics()),
                        probed.candidate().metrics().getOrDefault(decider.primaryMetric(), "none")));
            }
            Optional<RunMember> best = members.stream().filter(m -> m.verdict().passed())
                    .max(Comparator.comparing((RunMember m) -> m.score().orElse(Double.NEGATIVE_INFINITY))
                            .thenComparing(m -> m.version().createdAt()));
            List<Decider.Made> out = new ArrayList<>();
            Ledger next = ledger;
            for (RunMember m : members) {
                String key = Registrations.key(m.version());
                Decider.Ask ask = new Decider.Ask(Registrations.decisionId(key), actor, key, null, runId);
                Decider.Made one;
                if (m.verdict().passed() && best.isPresent() && best.get() != m) {
                    one = decider.outscored(next, m.version().version(), m.verdict(), best.get().version().version(),
                            "scored higher (" + decider.primaryMetric() + " " + best.get().metric() + " vs "
                                    + m.metric() + ")", ask);
                } else {
                    one = decider.judge(next, m.version().version(), m.probe().sha256(), m.verdict(), ask);
                }
                out.add(one);
                next = one.next();
            }
            return LedgerStore.Change.write(next, out);
        });
        made.forEach(this::after);
        return made.stream().map(Decider.Made::decision).toList();
    }

    private record RunMember(ModelVersion version, CandidateProbe.Probe probe, Gate.Verdict verdict,
                             Optional<Double> score, String metric) {
    }

    /** Records that a run ended without completing (failed, canceled), in each model's ledger it registered into. */
    public List<Decision> recordRunEnded(String runId, String status, String actor, String eventKey) {
        List<Decision> recorded = new ArrayList<>();
        List<String> touched = models.stream().filter(m -> registry.versions(m).stream()
                .anyMatch(v -> runId.equals(v.runId()))).toList();
        for (String model : touched.isEmpty() ? List.of(models.get(0)) : touched) {
            String id = Registrations.eventDecisionId(eventKey + "/" + model);
            current(model);
            Decider.Made made = ledgers.update(model, firstSight::ledger, ledger ->
                    ledger.hasDecision(id) || ledgers.archived(model, id) ? LedgerStore.Change.none(null)
                            : write(decider.runEnded(ledger, runId, status, new Decider.Ask(id, actor, null, null, runId))));
            if (made != null) {
                after(made);
                recorded.add(made.decision());
            }
        }
        return recorded;
    }

    /**
     * Makes {@code version} the baseline on an operator's word: approves a pending candidate or,
     * in any mode, promotes one that passes the gate; {@code force} flips even when it fails
     * (the failed checks are still recorded, and the decision says {@code forced}).
     */
    public Decision promote(String model, String version, boolean force, String actor, Optional<String> requestId) {
        requireModel(model);
        requireVersion(version);
        requestId.ifPresent(PromotionService::requireRequestId);
        Optional<Decision> replayed = replay(model, requestId);
        if (replayed.isPresent()) {
            return answer(replayed.get());
        }
        ModelVersion found = find(model, version).orElseThrow(() -> new NotFound("unknown_version",
                "version " + version + " of model " + model + " is not in the registry"));
        currentOrEmpty(model);
        String key = Registrations.key(found);
        Decider.Made made = ledgers.update(model, this::firstSightOrEmpty, ledger -> {
            if (requestId.isPresent() && ledger.hasDecision(Registrations.requestDecisionId(model, requestId.get()))) {
                return LedgerStore.Change.none(null);
            }
            if (ledger.isBaseline(version)) {
                throw new Conflict("already_baseline", "version " + version + " of " + model + " is already the baseline");
            }
            CandidateProbe.Probe probed = probe.probe(found);
            Gate.Verdict verdict = judge(model, version, probed, ledger);
            if (force && !probed.artifactFetchable()) {
                throw new Conflict("artifact_unfetchable", "the artifact of " + model + ":" + version
                        + " cannot be fetched from the registry (" + probed.candidate().loadError().orElse("unknown")
                        + "); no instance could load it, so it is not promoted, not even by force");
            }
            if (probed.sha256().isEmpty()) {
                throw new Unavailable("artifact_unavailable", "the artifact of " + model + ":" + version
                        + " could not be fetched: " + probed.candidate().loadError().orElse("unknown"));
            }
            Decider.Ask ask = Decider.Ask.operator(model, actor, key, requestId);
            return write(!verdict.passed() && !force ? decider.refused(ledger, version, verdict, ask)
                    : decider.operatorPromotion(ledger, version, probed.sha256().get(), verdict, ask));
        });
        if (made == null) {
            return answer(replay(model, requestId).orElseThrow());
        }
        after(made);
        return answer(made.decision());
    }

    /** Returns to the previous baseline, or to {@code toVersion} when given. Recorded like any decision. */
    public Decision rollback(String model, Optional<String> toVersion, String actor, Optional<String> requestId) {
        requireModel(model);
        toVersion.ifPresent(PromotionService::requireVersion);
        requestId.ifPresent(PromotionService::requireRequestId);
        Optional<Decision> replayed = replay(model, requestId);
        if (replayed.isPresent()) {
            return replayed.get();
        }
        Optional<ModelVersion> named = toVersion.flatMap(v -> find(model, v));
        current(model);
        Decider.Made made = ledgers.update(model, firstSight::ledger, ledger -> {
            if (requestId.isPresent() && ledger.hasDecision(Registrations.requestDecisionId(model, requestId.get()))) {
                return LedgerStore.Change.none(null);
            }
            return write(decider.rollback(ledger, target(model, ledger, toVersion, named),
                    Decider.Ask.operator(model, actor, null, requestId)));
        });
        if (made == null) {
            return replay(model, requestId).orElseThrow();
        }
        after(made);
        return made.decision();
    }

    private Ledger.Baseline target(String model, Ledger ledger, Optional<String> toVersion,
                                   Optional<ModelVersion> named) {
        if (toVersion.isEmpty()) {
            return ledger.previous().orElseThrow(() -> new Conflict("no_previous_baseline",
                    "model " + model + " has no earlier baseline to roll back to"));
        }
        String v = toVersion.get();
        if (ledger.isBaseline(v)) {
            throw new Conflict("already_baseline", "version " + v + " of " + model + " is already the baseline");
        }
        Optional<Ledger.Baseline> earlier = ledger.fromHistory(v);
        if (earlier.isPresent()) {
            return earlier.get();
        }
        ModelVersion found = named.orElseThrow(() -> new NotFound("unknown_version",
                "version " + v + " of model " + model + " is not in the registry"));
        String sha = probe.probe(found).sha256().orElseThrow(() -> new Unavailable(
                "artifact_unavailable", "the artifact of " + model + ":" + v + " could not be fetched"));
        return new Ledger.Baseline(v, sha, found.createdAt(), null);
    }

    /** The most recent decisions, newest first. */
    public List<Decision> decisions(String model, int limit) {
        requireModel(model);
        List<Decision> all = ledgers.read(model).map(v -> v.value().decisions()).orElse(List.of());
        int from = Math.max(0, all.size() - Math.max(1, limit));
        List<Decision> recent = new ArrayList<>(all.subList(from, all.size()));
        Collections.reverse(recent);
        return recent;
    }

    /** The stored ledger, if the model has one. */
    public Optional<Ledger> ledger(String model) {
        requireModel(model);
        return ledgers.read(model).map(Versioned::value);
    }

    /** Why a model without a ledger cannot adopt a baseline (two tagged versions), for Status. */
    public Optional<String> baselineConflict(String model) {
        requireModel(model);
        return ledgers.read(model).isPresent() ? Optional.empty() : firstSight.conflict(model);
    }

    /**
     * On first sight of a model, stores the ledger adopted from its pointer or its registry tag
     * (recorded as an ADOPTED decision) and publishes it. Does nothing for a model that has a
     * ledger or nothing to adopt.
     *
     * @throws Conflict {@code baseline_conflict} when two versions claim to be the baseline
     */
    public Optional<Ledger> adopt(String model) {
        requireModel(model);
        Optional<Versioned<Ledger>> stored = ledgers.read(model);
        if (stored.isPresent()) {
            return Optional.of(stored.get().value());
        }
        Ledger adopted = firstSight.ledger(model);
        if (adopted.baseline().isEmpty()) {
            return Optional.empty();
        }
        try {
            ledgers.write(adopted, null);
        } catch (StoreConflict someoneElse) {
            return ledgers.read(model).map(Versioned::value);
        }
        Decision adoption = adopted.decisions().get(0);
        LOG.info(() -> model + ":" + adoption.version() + " ADOPTED - " + adoption.reason());
        effects.afterFlip(adopted, Optional.empty());
        return Optional.of(adopted);
    }

    /** Whether a registration was judged already (in the ledger or, once it left, the archive). */
    boolean judged(Ledger ledger, String registrationKey) {
        return ledger.judgement(registrationKey).isPresent()
                || ledgers.judgedInArchive(ledger.model(), registrationKey);
    }

    /** Whether this version's registration was judged already. */
    public boolean judged(ModelVersion version) {
        return judgement(version).isPresent();
    }

    /** The decision that judged this version's registration, in the ledger or the archive. */
    public Optional<Decision> judgement(ModelVersion version) {
        String key = Registrations.key(version);
        return current(version.model()).judgement(key).or(() -> ledgers.archivedJudgement(version.model(), key));
    }

    /**
     * The current ledger: a flip committed but not published is completed first; a model seen
     * for the first time adopts its baseline.
     */
    Ledger current(String model) {
        Optional<Versioned<Ledger>> stored = ledgers.read(model);
        if (stored.isPresent()) {
            effects.complete(stored.get().value());
            return stored.get().value();
        }
        return adopt(model).orElseGet(() -> Ledger.empty(model));
    }

    FlipEffects effects() {
        return effects;
    }

    BaselineTags tags() {
        return tags;
    }

    private Ledger currentOrEmpty(String model) {
        try {
            return current(model);
        } catch (Conflict c) {
            return Ledger.empty(model); // an operator's promotion resolves a baseline conflict
        }
    }

    private Ledger firstSightOrEmpty(String model) {
        try {
            return firstSight.ledger(model);
        } catch (Conflict c) {
            return Ledger.empty(model);
        }
    }

    private Optional<Decision> replay(String model, Optional<String> requestId) {
        if (requestId.isEmpty()) {
            return Optional.empty();
        }
        String id = Registrations.requestDecisionId(model, requestId.get());
        Optional<Versioned<Ledger>> stored = ledgers.read(model);
        stored.ifPresent(s -> effects.complete(s.value()));
        return stored.flatMap(s -> s.value().decision(id)).or(() -> ledgers.archivedDecision(model, id));
    }

    /** A promotion the gate refused is answered as a conflict, also when a request is repeated. */
    private static Decision answer(Decision decision) {
        if (decision.outcome() == Outcome.REJECTED) {
            throw new Conflict("gate_rejected", decision.reason() + " (decision " + decision.id()
                    + "; use force to promote anyway)");
        }
        return decision;
    }

    private void after(Decider.Made made) {
        Decision d = made.decision();
        LOG.info(() -> d.model() + ":" + d.version() + " " + d.outcome() + " - " + d.reason() + " (" + d.actor()
                + ", decision " + d.id() + ")");
        if (d.flips()) {
            effects.afterFlip(made.next(), Optional.of(d));
        } else {
            effects.afterJudgement(d);
        }
    }

    private static LedgerStore.Change<Decider.Made> write(Decider.Made made) {
        return LedgerStore.Change.write(made.next(), made);
    }

    private Optional<Candidate> baselineCandidate(String model, Ledger ledger) {
        return ledger.baseline().flatMap(b -> find(model, b.version())).map(v -> probe.probe(v).candidate());
    }

    private Gate.Verdict judge(String model, String version, CandidateProbe.Probe probed, Ledger ledger) {
        return judge(model, version, probed, baselineCandidate(model, ledger));
    }

    /**
     * The gate's verdict, plus the one check no policy turns off: every instance must be able to
     * fetch what is promoted, so an artifact the registry cannot deliver for this version fails
     * (even when this instance holds the same bytes). A registry that cannot be reached now is
     * no verdict at all: the caller fails and is retried.
     */
    private Gate.Verdict judge(String model, String version, CandidateProbe.Probe probed, Optional<Candidate> baseline) {
        if (probed.failure().orElse(null) == CandidateProbe.Failure.ARTIFACT_UNREACHABLE) {
            throw new Unavailable("artifact_unavailable", "the artifact of " + model + ":" + version
                    + " could not be fetched from the registry now: " + probed.candidate().loadError().orElse("unknown"));
        }
        Gate.Verdict verdict = gate.judge(probed.candidate(), baseline);
        if (probed.artifactFetchable() && probed.sha256().isPresent()) {
            return verdict;
        }
        List<dev.greenlight.gate.Check> checks = new ArrayList<>(verdict.checks());
        checks.add(new dev.greenlight.gate.Check("artifact", false,
                probed.candidate().loadError().orElse("no digest for the artifact"),
                "fetchable from the registry for this version"));
        return new Gate.Verdict(false, checks);
    }

    private Optional<ModelVersion> find(String model, String version) {
        try {
            return registry.find(model, version);
        } catch (GreenlightException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new Unavailable("registry_unavailable", "the registry could not be read: " + e.getMessage(), e);
        }
    }

    private static Unavailable notVisible(String model, String version) {
        return new Unavailable("version_not_visible", "version " + version + " of " + model
                + " is not (yet) listed by the registry; the delivery fails so that Event Grid retries it, and the"
                + " next sync check judges the version once it is listed");
    }

    private static void requireVersion(String version) {
        VersionId.require(version);
    }

    private static void requireRequestId(String requestId) {
        if (!REQUEST_ID.matcher(requestId).matches()) {
            throw new BadRequest("invalid_request_id", "requestId is 1-128 letters, digits, '.', '_', ':' or '-', was '"
                    + ClientValue.clip(requestId) + "'");
        }
    }

    private void requireModel(String model) {
        if (!serves(model)) {
            throw new NotFound("unknown_model", "model '" + ClientValue.clip(model) + "' is not managed here; managed models: "
                    + String.join(", ", models));
        }
    }

    @Override
    public void close() {
        effects.close();
    }

    /** Collaborators of the promotion service; all but the fan-out and the event publisher are required. */
    public static final class Builder {
        private List<String> models = List.of();
        private ModelRegistry registry;
        private LedgerStore ledgers;
        private PointerStore pointers;
        private CandidateProbe probe;
        private Gate gate;
        private String baselineTag = "baseline";
        private String candidateTag = "dynamic";
        private Consumer<String> onFlip = model -> { };
        private Optional<RefreshFanout> fanout = Optional.empty();
        private Optional<BaselineChangedPublisher> events = Optional.empty();
        private Clock clock = Clock.systemUTC();

        public Builder models(List<String> models) { this.models = models; return this; }
        public Builder registry(ModelRegistry registry) { this.registry = registry; return this; }
        public Builder ledgers(LedgerStore ledgers) { this.ledgers = ledgers; return this; }
        public Builder pointers(PointerStore pointers) { this.pointers = pointers; return this; }
        public Builder probe(CandidateProbe probe) { this.probe = probe; return this; }
        public Builder gate(Gate gate) { this.gate = gate; return this; }
        public Builder tags(String baselineTag, String candidateTag) {
            this.baselineTag = baselineTag;
            this.candidateTag = candidateTag;
            return this;
        }
        /** Told the model's name after every flip on this instance (the serving cache checks its pointer). */
        public Builder onFlip(Consumer<String> onFlip) { this.onFlip = onFlip; return this; }
        public Builder fanout(Optional<RefreshFanout> fanout) { this.fanout = fanout; return this; }
        public Builder events(Optional<BaselineChangedPublisher> events) { this.events = events; return this; }
        public Builder clock(Clock clock) { this.clock = clock; return this; }

        public PromotionService build() {
            Objects.requireNonNull(pointers, "pointers");
            return new PromotionService(this);
        }
    }
}

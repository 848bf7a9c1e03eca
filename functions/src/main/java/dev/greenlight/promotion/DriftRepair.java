package dev.greenlight.promotion;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.greenlight.errors.Conflict;
import dev.greenlight.fanout.RefreshFanout;
import dev.greenlight.fanout.RefreshOutcome;
import dev.greenlight.json.Json;
import dev.greenlight.registry.ModelRegistry;
import dev.greenlight.registry.ModelVersion;
import dev.greenlight.store.DocumentStore;
import dev.greenlight.store.Pointer;
import dev.greenlight.store.PointerStore;
import dev.greenlight.store.StoreConflict;
import dev.greenlight.store.Versioned;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * What the {@code SyncCheck} timer runs: repairs what drifted. A model seen for the first time
 * adopts its baseline; a flip committed but not published is completed; registry tags are made
 * to agree with the ledger; candidates no event ever announced are judged (a run's together);
 * rejected versions lose the candidate tag; refresh targets that did not confirm the last flip
 * are called again. Idempotent; when several instances run it at once, a lease document lets
 * one act and the others skip. Each run is recorded ({@code sync/last.json}) for {@code Status}.
 */
public final class DriftRepair {
    private static final Logger LOG = Logger.getLogger(DriftRepair.class.getName());
    private static final String LEASE = "locks/sync.json";
    private static final String LAST = "sync/last.json";
    private static final Duration LEASE_TIME = Duration.ofMinutes(2);

    private final PromotionService promotion;
    private final PointerStore pointers;
    private final ModelRegistry registry;
    private final DocumentStore documents;
    private final String candidateTag;
    private final Clock clock;

    public DriftRepair(PromotionService promotion, PointerStore pointers, ModelRegistry registry,
                       DocumentStore documents, Clock clock) {
        this.promotion = promotion;
        this.pointers = pointers;
        this.registry = registry;
        this.documents = documents;
        this.candidateTag = promotion.tags().candidateTag();
        this.clock = clock;
    }

    /** Runs one check; the result says what drifted and what was repaired, or that another instance holds the lease. */
    public ObjectNode run(String actor) {
        ObjectNode result = Json.MAPPER.createObjectNode();
        result.put("at", clock.instant().toString());
        result.put("actor", actor);
        Optional<String> lease = acquire(actor);
        if (lease.isEmpty()) {
            result.put("skipped", "another instance holds the sync lease");
            return result;
        }
        try {
            ArrayNode drift = result.putArray("drift");
            ArrayNode problems = result.putArray("problems");
            for (String model : promotion.models()) {
                try {
                    sync(model, actor, drift, problems);
                } catch (RuntimeException e) {
                    problems.add(model + ": not synced: " + e.getMessage());
                }
            }
            result.put("repaired", drift.size());
            record(result);
            LOG.info(() -> "sync check by " + actor + ": " + drift.size() + " repairs " + drift
                    + (problems.isEmpty() ? "" : "; problems " + problems));
            return result;
        } finally {
            release(lease.get());
        }
    }

    /** The last recorded run, if any. */
    public Optional<ObjectNode> last() {
        return documents.read(LAST).map(v -> {
            try {
                return (ObjectNode) Json.MAPPER.readTree(v.value());
            } catch (IOException e) {
                return null;
            }
        });
    }

    private void sync(String model, String actor, ArrayNode drift, ArrayNode problems) {
        Optional<Ledger> stored = promotion.ledger(model);
        if (stored.isEmpty()) {
            try {
                Optional<Ledger> adopted = promotion.adopt(model);
                adopted.ifPresent(l -> drift.add(model + ": " + l.decisions().get(0).reason()));
                stored = adopted;
            } catch (Conflict conflict) {
                problems.add(model + ": " + conflict.detail());
                return; // never resolved by guessing
            }
        }
        Ledger ledger = stored.orElseGet(() -> Ledger.empty(model));
        if (ledger.baseline().isPresent()) {
            Optional<Pointer> before = pointers.read(model).map(Versioned::value);
            if (promotion.effects().complete(ledger, true)) {
                drift.add(model + ": pointer was behind the ledger (generation "
                        + before.map(p -> Long.toString(p.generation())).orElse("none") + " < " + ledger.generation()
                        + "); republished");
            }
            try {
                promotion.effects().reconcileTags(ledger).forEach(line -> drift.add(line + " (repaired)"));
            } catch (IOException | RuntimeException e) {
                problems.add(model + ": registry tags could not be reconciled: " + e.getMessage());
            }
        }
        judgeUndecided(model, actor, drift);
        resendRefresh(model, ledger, drift);
    }

    /** Candidates tagged as such that were never judged (their event never arrived); a run's versions together. */
    private void judgeUndecided(String model, String actor, ArrayNode drift) {
        Map<String, List<ModelVersion>> runs = new LinkedHashMap<>();
        for (ModelVersion v : registry.versions(model)) {
            if (!v.tags().containsKey(candidateTag) || promotion.ledger(model).map(l -> l.isBaseline(v.version()))
                    .orElse(false)) {
                continue;
            }
            if (promotion.judged(v)) {
                if (rejected(v)) {
                    promotion.tags().untagCandidate(model, v.version());
                    drift.add(model + ":" + v.version() + " was rejected but kept its '" + candidateTag + "' tag; removed");
                }
                continue;
            }
            if (v.runId() == null) {
                promotion.evaluate(model, v.version(), actor).ifPresent(d -> drift.add(model + ":" + v.version()
                        + " was a candidate with no decision; judged " + d.outcome()));
            } else {
                runs.computeIfAbsent(v.runId(), r -> new ArrayList<>()).add(v);
            }
        }
        runs.forEach((runId, versions) -> {
            for (Decision d : promotion.evaluateRun(model, runId, actor)) {
                drift.add(model + ":" + d.version() + " (run " + runId + ") was a candidate with no decision; judged "
                        + d.outcome());
            }
        });
    }

    private boolean rejected(ModelVersion v) {
        return promotion.judgement(v).map(d -> d.outcome() == Outcome.REJECTED).orElse(false);
    }

    private void resendRefresh(String model, Ledger before, ArrayNode drift) {
        Optional<RefreshFanout> fanout = promotion.effects().fanout();
        if (fanout.isEmpty()) {
            return;
        }
        Optional<Decision> lastFlip = promotion.ledger(model).flatMap(Ledger::lastFlip);
        Optional<Pointer> pointer = pointers.read(model).map(Versioned::value);
        if (lastFlip.isEmpty() || pointer.isEmpty()) {
            return;
        }
        List<URI> unconfirmed = new ArrayList<>();
        for (URI target : fanout.get().targets()) {
            boolean confirmed = lastFlip.get().refresh().stream()
                    .anyMatch(o -> o.target().equals(target.toString()) && o.confirmed());
            if (!confirmed) {
                unconfirmed.add(target);
            }
        }
        if (unconfirmed.isEmpty()) {
            return;
        }
        List<RefreshOutcome> outcomes = fanout.get().fanOut(pointer.get(), unconfirmed);
        long now = outcomes.stream().filter(RefreshOutcome::confirmed).count();
        drift.add(model + ": " + unconfirmed.size() + " refresh targets had not confirmed "
                + pointer.get().version() + "; re-sent, " + now + " confirmed");
        promotion.effects().mergeRefresh(model, lastFlip.get().id(), outcomes);
    }

    private Optional<String> acquire(String actor) {
        Instant now = clock.instant();
        Optional<Versioned<byte[]>> current = documents.read(LEASE);
        if (current.isPresent()) {
            try {
                Instant until = Instant.parse(Json.MAPPER.readTree(current.get().value()).path("until").asText());
                if (until.isAfter(now)) {
                    return Optional.empty();
                }
            } catch (IOException | RuntimeException unreadable) {
                // an unreadable lease is an expired one
            }
        }
        ObjectNode lease = Json.MAPPER.createObjectNode().put("holder", actor).put("until", now.plus(LEASE_TIME).toString());
        try {
            return Optional.of(documents.write(LEASE, lease.toString().getBytes(), current.map(Versioned::etag).orElse(null)));
        } catch (StoreConflict someoneElse) {
            return Optional.empty();
        }
    }

    private void release(String etag) {
        ObjectNode expired = Json.MAPPER.createObjectNode().put("holder", "").put("until", Instant.EPOCH.toString());
        try {
            documents.write(LEASE, expired.toString().getBytes(), etag);
        } catch (RuntimeException e) {
            // it expires on its own
        }
    }

    private void record(ObjectNode result) {
        for (int attempt = 0; attempt < 5; attempt++) {
            Optional<Versioned<byte[]>> current = documents.read(LAST);
            try {
                documents.write(LAST, result.toString().getBytes(), current.map(Versioned::etag).orElse(null));
                return;
            } catch (StoreConflict retry) {
                // another run recorded meanwhile: write ours over the one we now read
            }
        }
        LOG.warning("the sync check's result could not be recorded: " + LAST + " kept changing");
    }
}

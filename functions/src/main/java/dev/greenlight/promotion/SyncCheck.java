package dev.greenlight.promotion;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Repairs what drifted: a pointer behind its ledger, registry tags that disagree with the
 * baseline, candidates no event ever announced, and refresh targets that did not confirm the
 * last flip. Idempotent; when several instances run it at once, a lease document lets one act
 * and the others skip. Each run is recorded ({@code sync/last.json}) for {@code Status}.
 */
public final class SyncCheck {
    private static final Logger LOG = Logger.getLogger(SyncCheck.class.getName());
    private static final String LEASE = "locks/sync.json";
    private static final String LAST = "sync/last.json";
    private static final Duration LEASE_TIME = Duration.ofMinutes(2);

    private final PromotionService promotion;
    private final LedgerStore ledgers;
    private final PointerStore pointers;
    private final ModelRegistry registry;
    private final DocumentStore documents;
    private final Optional<RefreshFanout> fanout;
    private final String baselineTag;
    private final String candidateTag;
    private final Clock clock;

    public SyncCheck(PromotionService promotion, LedgerStore ledgers, PointerStore pointers, ModelRegistry registry,
                     DocumentStore documents, Optional<RefreshFanout> fanout, String baselineTag, String candidateTag,
                     Clock clock) {
        this.promotion = promotion;
        this.ledgers = ledgers;
        this.pointers = pointers;
        this.registry = registry;
        this.documents = documents;
        this.fanout = fanout;
        this.baselineTag = baselineTag;
        this.candidateTag = candidateTag;
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
            for (String model : promotion.models()) {
                sync(model, actor, drift);
            }
            result.put("repaired", drift.size());
            record(result);
            LOG.info(() -> "sync check by " + actor + ": " + drift.size() + " repairs " + drift);
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

    private void sync(String model, String actor, ArrayNode drift) {
        Ledger current = promotion.currentLedger(model);
        if (current.baseline().isEmpty()) {
            judgeUndecided(model, current, actor, drift);
            return;
        }
        Optional<Pointer> pointer = pointers.read(model).map(Versioned::value);
        if (pointer.isEmpty() || pointer.get().generation() < current.generation()) {
            promotion.publishPointer(current);
            drift.add(model + ": pointer was behind the ledger (generation "
                    + pointer.map(p -> Long.toString(p.generation())).orElse("none") + " < " + current.generation()
                    + "); republished");
        }
        retag(model, current.baseline().get().version(), drift);
        judgeUndecided(model, current, actor, drift);
        resendRefresh(model, drift);
    }

    private void retag(String model, String baseline, ArrayNode drift) {
        try {
            for (ModelVersion v : registry.versions(model)) {
                boolean tagged = v.tags().containsKey(baselineTag);
                if (v.version().equals(baseline) && !tagged) {
                    Map<String, String> tags = new HashMap<>(v.tags());
                    tags.put(baselineTag, "true");
                    tags.remove(candidateTag);
                    registry.setTags(model, v.version(), tags);
                    drift.add(model + ":" + v.version() + " is the baseline but lacked the '" + baselineTag + "' tag; added");
                } else if (!v.version().equals(baseline) && tagged) {
                    Map<String, String> tags = new HashMap<>(v.tags());
                    tags.remove(baselineTag);
                    registry.setTags(model, v.version(), tags);
                    drift.add(model + ":" + v.version() + " carried a stale '" + baselineTag + "' tag; removed");
                }
            }
        } catch (IOException | RuntimeException e) {
            drift.add(model + ": registry tags could not be reconciled: " + e.getMessage());
        }
    }

    /** Candidates tagged as such that have no decision: their event never arrived. */
    private void judgeUndecided(String model, Ledger ledger, String actor, ArrayNode drift) {
        for (ModelVersion v : registry.versions(model)) {
            boolean decided = ledger.decisions().stream().anyMatch(d -> d.version().equals(v.version()));
            boolean baseline = ledger.baseline().map(b -> b.version().equals(v.version())).orElse(false);
            if (v.tags().containsKey(candidateTag) && !decided && !baseline) {
                promotion.evaluate(model, v.version(), actor, "sync/" + model + "/" + v.version()).ifPresent(d ->
                        drift.add(model + ":" + v.version() + " was a candidate with no decision; judged "
                                + d.outcome()));
            }
        }
    }

    private void resendRefresh(String model, ArrayNode drift) {
        if (fanout.isEmpty()) {
            return;
        }
        Optional<Ledger> ledger = promotion.ledger(model);
        Optional<Decision> lastFlip = ledger.flatMap(l -> l.decisions().stream()
                .filter(d -> d.outcome() == Outcome.PROMOTED || d.outcome() == Outcome.ROLLED_BACK)
                .reduce((a, b) -> b));
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
        promotion.mergeRefresh(model, lastFlip.get().id(), outcomes);
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
    }
}

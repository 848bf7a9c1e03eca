package dev.greenlight.promotion;

import dev.greenlight.errors.Unavailable;
import dev.greenlight.fanout.BaselineChangedPublisher;
import dev.greenlight.fanout.RefreshFanout;
import dev.greenlight.fanout.RefreshOutcome;
import dev.greenlight.store.Pointer;
import dev.greenlight.store.PointerStore;
import dev.greenlight.store.StoreConflict;
import dev.greenlight.store.Versioned;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * What follows a committed flip, in this order: the pointer every instance polls (only ever
 * forward), this instance's cache, the registry tags (ordered by generation), then, off the
 * caller's path, the refresh fan-out and the BaselineChanged event. {@link #complete} does all
 * of it for a ledger whose pointer is behind, so a flip that was committed but not published
 * (the store failed in between) is finished by whoever reads the ledger next. Owns the
 * background executor it starts.
 */
final class FlipEffects implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(FlipEffects.class.getName());

    private final PointerStore pointers;
    private final LedgerStore ledgers;
    private final BaselineTags tags;
    private final Consumer<String> onFlip;
    private final Optional<RefreshFanout> fanout;
    private final Optional<BaselineChangedPublisher> events;
    private final Clock clock;
    private final ExecutorService background;
    /** Per model, the highest generation this process knows to be published. */
    private final Map<String, Long> published = new ConcurrentHashMap<>();

    FlipEffects(PointerStore pointers, LedgerStore ledgers, BaselineTags tags, Consumer<String> onFlip,
                Optional<RefreshFanout> fanout, Optional<BaselineChangedPublisher> events, Clock clock) {
        this.pointers = pointers;
        this.ledgers = ledgers;
        this.tags = tags;
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

    Optional<RefreshFanout> fanout() {
        return fanout;
    }

    /**
     * Finishes the flip a ledger holds when its pointer is behind (the writer of the flip failed
     * after its commit): publishes, retags, tells the cache, fans out and announces.
     *
     * @return true when the pointer was behind and is now published
     * @throws Unavailable when the pointer cannot be written (the store is down)
     */
    boolean complete(Ledger ledger) {
        return complete(ledger, false);
    }

    /** As {@link #complete(Ledger)}; {@code verify} reads the pointer even when this process published it. */
    boolean complete(Ledger ledger, boolean verify) {
        if (ledger.baseline().isEmpty()
                || (!verify && published.getOrDefault(ledger.model(), 0L) >= ledger.generation())) {
            return false;
        }
        Optional<Versioned<Pointer>> current = pointers.read(ledger.model());
        if (current.isPresent() && current.get().value().generation() >= ledger.generation()) {
            published.merge(ledger.model(), current.get().value().generation(), Math::max);
            return false;
        }
        Optional<Decision> flip = ledger.lastFlip();
        LOG.warning(() -> ledger.model() + ": pointer at generation "
                + current.map(p -> Long.toString(p.value().generation())).orElse("none") + " is behind the ledger ("
                + ledger.generation() + "); completing the flip" + flip.map(d -> " of decision " + d.id()).orElse(""));
        afterFlip(ledger, flip);
        return true;
    }

    /** Everything that follows a committed flip. */
    void afterFlip(Ledger next, Optional<Decision> decision) {
        Published published = publish(next);
        Pointer pointer = published.pointer();
        onFlip.accept(next.model()); // starts loading now; the tags need not wait for it
        retag(next);
        if (!published.wrote()) {
            return; // whoever wrote this generation's pointer (a reader completing the flip) fans out
        }
        decision.ifPresent(d -> {
            fanout.ifPresent(f -> background.execute(() -> refreshTargets(f, pointer, d)));
            events.ifPresent(p -> background.execute(() -> announce(p, d, pointer)));
        });
    }

    /** A judgement that did not promote: the version is no longer a candidate. */
    void afterJudgement(Decision decision) {
        switch (decision.outcome()) {
            case REJECTED:
                tags.untagCandidate(decision.model(), decision.version());
                break;
            case PENDING:
            case SKIPPED:
            case PROMOTED:
            case ROLLED_BACK:
            case ADOPTED:
                break;
        }
    }

    /**
     * Writes the pointer the instances poll; only ever forward, whatever the order of writers.
     *
     * @throws Unavailable when it kept losing races or the store is down: the ledger holds the
     *                     flip, and the next reader publishes it
     */
    /** The pointer of a generation, and whether this call is the one that wrote it. */
    record Published(Pointer pointer, boolean wrote) {
    }

    Published publish(Ledger ledger) {
        Ledger.Baseline baseline = ledger.baseline().orElseThrow();
        Pointer pointer = new Pointer(ledger.model(), baseline.version(), baseline.sha256(), ledger.generation(),
                clock.instant());
        for (int attempt = 1; attempt <= LedgerStore.MAX_ATTEMPTS; attempt++) {
            Optional<Versioned<Pointer>> current = pointers.read(ledger.model());
            if (current.isPresent() && current.get().value().generation() >= ledger.generation()) {
                published.merge(ledger.model(), current.get().value().generation(), Math::max);
                return new Published(pointer, false); // already published, by this flip's completer or a later flip
            }
            try {
                pointers.write(pointer, current.map(Versioned::etag).orElse(null));
                published.merge(ledger.model(), ledger.generation(), Math::max);
                return new Published(pointer, true);
            } catch (StoreConflict lost) {
                // re-read: someone published meanwhile
            }
        }
        throw new Unavailable("pointer_contended", "the pointer of " + ledger.model() + " kept changing; generation "
                + ledger.generation() + " is committed in the ledger and the next reader publishes it");
    }

    /** Moves the registry tags; the pointer is the truth and already published, so a failure here is repaired later. */
    List<String> retag(Ledger ledger) {
        String model = ledger.model();
        try {
            return tags.move(model, ledger.baseline().orElseThrow().version(), ledger.generation(),
                    () -> currentGeneration(model, ledger.generation()));
        } catch (IOException | RuntimeException e) {
            LOG.warning("registry tags of " + model + " not updated for generation " + ledger.generation() + ": "
                    + e.getMessage() + " (the sync check repairs them)");
            return List.of();
        }
    }

    /** The sync check's tag repair for the ledger's baseline. */
    List<String> reconcileTags(Ledger ledger) throws IOException {
        return tags.reconcile(ledger.model(), ledger.baseline().orElseThrow().version(), ledger.generation(),
                () -> currentGeneration(ledger.model(), ledger.generation()));
    }

    private long currentGeneration(String model, long fallback) {
        return ledgers.read(model).map(v -> v.value().generation()).orElse(fallback);
    }

    /**
     * Adds the answers of refresh calls to a flip's decision, replacing the earlier answers of
     * the same targets.
     */
    void mergeRefresh(String model, String decisionId, List<RefreshOutcome> outcomes) {
        boolean recorded = ledgers.update(model, Ledger::empty, ledger -> {
            Optional<Decision> decision = ledger.decision(decisionId);
            if (decision.isEmpty()) {
                return LedgerStore.Change.none(false);
            }
            List<RefreshOutcome> merged = new ArrayList<>(decision.get().refresh());
            merged.removeIf(old -> outcomes.stream().anyMatch(o -> o.target().equals(old.target())));
            merged.addAll(outcomes);
            return LedgerStore.Change.write(ledger.withDecision(decision.get().withRefresh(merged)), true);
        });
        if (!recorded) {
            LOG.warning("refresh outcome of decision " + decisionId + " not recorded: it has left the ledger");
        }
    }

    private void announce(BaselineChangedPublisher publisher, Decision decision, Pointer pointer) {
        try {
            publisher.publish(new BaselineChangedPublisher.BaselineChange(pointer.model(), decision.fromVersion(),
                    pointer.version(), pointer.generation(), decision.id(), decision.outcome().name()));
        } catch (RuntimeException e) {
            LOG.warning("BaselineChanged for " + pointer.model() + ":" + pointer.version() + " not published: "
                    + e.getMessage());
        }
    }

    private void refreshTargets(RefreshFanout fanout, Pointer pointer, Decision decision) {
        List<RefreshOutcome> outcomes = fanout.fanOut(pointer);
        long confirmed = outcomes.stream().filter(RefreshOutcome::confirmed).count();
        LOG.info(() -> "refresh of " + pointer.model() + ":" + pointer.version() + ": " + confirmed + " of "
                + outcomes.size() + " targets confirmed");
        try {
            mergeRefresh(pointer.model(), decision.id(), outcomes);
        } catch (RuntimeException e) {
            LOG.warning("refresh outcome of decision " + decision.id() + " not recorded: " + e.getMessage()
                    + " (the sync check re-sends to targets that did not confirm)");
        }
    }

    @Override
    public void close() {
        background.shutdown();
        try {
            if (!background.awaitTermination(5, TimeUnit.SECONDS)) {
                background.shutdownNow();
            }
        } catch (InterruptedException e) {
            background.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}

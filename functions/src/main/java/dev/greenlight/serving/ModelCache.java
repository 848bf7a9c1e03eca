package dev.greenlight.serving;

import dev.greenlight.errors.NotFound;
import dev.greenlight.errors.Unavailable;
import dev.greenlight.registry.ModelRegistry;
import dev.greenlight.registry.ModelVersion;
import dev.greenlight.store.ArtifactCache;
import dev.greenlight.store.Pointer;
import dev.greenlight.store.PointerStore;
import dev.greenlight.store.Versioned;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The serving cache: for every configured model, the loaded baseline version. Readers never
 * lock: they lease the current {@link LoadedModel} from an {@link AtomicReference}. A change of
 * the pointer is loaded, smoke-run and only then swapped in; in-flight requests finish on the
 * old session, which closes when they are done. A failed load leaves the old version serving
 * and is reported in {@link #status()}.
 */
public final class ModelCache implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ModelCache.class.getName());
    /** How long a failing pointer waits before it is tried again. */
    private static final Duration RETRY_FAILED = Duration.ofSeconds(30);

    private final Map<String, Slot> slots = new LinkedHashMap<>();
    private final PointerStore pointers;
    private final ModelRegistry registry;
    private final ArtifactCache artifacts;
    private final dev.greenlight.store.LastKnownPointers lastKnown;
    private final ModelLoader loader;
    private final ExecutorService loads;
    private final Clock clock;
    private final Duration firstLoadWait;

    public ModelCache(List<String> models, PointerStore pointers, ModelRegistry registry, ArtifactCache artifacts,
                      ModelLoader loader, ExecutorService loads, Clock clock, Duration firstLoadWait) {
        models.forEach(m -> slots.put(m, new Slot(m)));
        this.pointers = pointers;
        this.registry = registry;
        this.artifacts = artifacts;
        this.lastKnown = artifacts.lastKnown();
        this.loader = loader;
        this.loads = loads;
        this.clock = clock;
        this.firstLoadWait = firstLoadWait;
    }

    /** The configured model names, default first. */
    public List<String> models() {
        return List.copyOf(slots.keySet());
    }

    /**
     * Runs {@code work} on the model's current version under a lease. Waits for the very first
     * load only (nothing can serve before it); never waits for a swap.
     */
    public <T> T withModel(String model, Function<LoadedModel, T> work) {
        LoadedModel loaded = acquire(model);
        boolean failed = true;
        try {
            T result = work.apply(loaded);
            failed = false;
            return result;
        } finally {
            loaded.countRequest(failed);
            loaded.release();
        }
    }

    private LoadedModel acquire(String model) {
        Slot slot = slot(model);
        while (true) {
            LoadedModel current = slot.state.get().serving();
            if (current == null) {
                awaitFirstLoad(slot);
                State state = slot.state.get();
                current = state.serving();
                if (current == null) {
                    throw new Unavailable("model_unavailable", "model '" + model + "' has no baseline loaded"
                            + Optional.ofNullable(state.failure()).map(f -> ": " + f.reason()).orElse(""));
                }
            }
            if (current.tryAcquire()) {
                return current;
            }
            // Retired and drained between the read and the lease: the swap already published
            // its successor, so the next read sees it.
        }
    }

    private void awaitFirstLoad(Slot slot) {
        try {
            refresh(slot.model).get(firstLoadWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // reported below from the slot's failure
        }
    }

    /**
     * Checks the model's pointer now and loads a new baseline if it changed. The returned
     * future completes after a check that started after this call; concurrent callers share
     * one queued check, so a storm of refreshes costs at most two checks.
     */
    public CompletableFuture<Void> refresh(String model) {
        Slot slot = slot(model);
        synchronized (slot) {
            if (slot.running == null) {
                slot.running = new CompletableFuture<>();
                startCheck(slot, slot.running);
                return slot.running;
            }
            if (slot.queued == null) {
                slot.queued = new CompletableFuture<>();
            }
            return slot.queued;
        }
    }

    private void startCheck(Slot slot, CompletableFuture<Void> done) {
        try {
            loads.execute(() -> {
                Throwable failure = null;
                try {
                    check(slot);
                } catch (Throwable t) {
                    failure = t;
                }
                CompletableFuture<Void> next;
                synchronized (slot) {
                    next = slot.queued;
                    slot.queued = null;
                    slot.running = next;
                }
                if (next != null) {
                    startCheck(slot, next);
                }
                if (failure == null) {
                    done.complete(null);
                } else {
                    done.completeExceptionally(failure);
                }
            });
        } catch (RuntimeException e) {
            synchronized (slot) {
                slot.running = null;
                slot.queued = null;
            }
            done.completeExceptionally(e);
        }
    }

    /** Checks every model's pointer (the poller and the timer call this). */
    public void refreshAll() {
        slots.keySet().forEach(this::refresh);
    }

    private void check(Slot slot) {
        Instant now = clock.instant();
        State before = slot.state.updateAndGet(s -> s.checkedAt(now));
        Optional<Versioned<Pointer>> changed;
        try {
            if (before.failedEtag() != null && now.isBefore(before.retryAt())) {
                Optional<Versioned<Pointer>> again = pointers.readIfChanged(slot.model, before.failedEtag());
                if (again.isEmpty()) {
                    return; // the pointer that failed has not changed; wait before trying it again
                }
            }
            changed = pointers.readIfChanged(slot.model, before.etag());
        } catch (RuntimeException storeDown) {
            if (before.serving() == null) {
                serveLastKnown(slot, storeDown, now);
            }
            throw storeDown;
        }
        if (changed.isEmpty()) {
            if (before.etag() == null && before.serving() == null) {
                LoadFailure none = new LoadFailure(null, "no baseline pointer for model '" + slot.model + "'", now);
                slot.state.updateAndGet(s -> s.reporting(none));
            }
            return;
        }
        Pointer pointer = changed.get().value();
        String etag = changed.get().etag();
        LoadedModel current = before.serving();
        if (current != null && current.sha256().equals(pointer.sha256())
                && current.version().equals(pointer.version())) {
            slot.state.updateAndGet(s -> s.at(etag).reporting(null)); // the store answers again: no longer offline
            return;
        }
        slot.state.updateAndGet(s -> s.loadingVersion(pointer.version()));
        LoadedModel next;
        try {
            next = load(pointer);
        } catch (Exception e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            LoadFailure failure = new LoadFailure(pointer.version(), reason, now);
            slot.state.updateAndGet(s -> s.failed(failure, etag, now.plus(RETRY_FAILED)));
            LOG.log(Level.WARNING, "could not load " + slot.model + ":" + pointer.version()
                    + "; " + (current == null ? "nothing serves yet" : current.version() + " keeps serving")
                    + ": " + reason);
            return;
        } catch (Error e) {
            slot.state.updateAndGet(s -> s.loadingVersion(null));
            throw e;
        }
        LoadedModel old = slot.state.getAndUpdate(s -> s.swappedTo(next, etag)).serving();
        lastKnown.remember(pointer);
        LOG.info(() -> "serving " + slot.model + ":" + next.version() + " (generation " + next.generation()
                + ")" + (old == null ? "" : ", replacing " + old.version()));
        if (old != null) {
            old.retire();
        }
    }

    /**
     * The store cannot be read and nothing serves yet (an instance starting during an outage):
     * serve the last baseline this instance knew, from its own cache, and say so in Status until
     * the store answers.
     */
    private void serveLastKnown(Slot slot, RuntimeException storeDown, Instant now) {
        Optional<Pointer> known = lastKnown.recall(slot.model);
        if (known.isEmpty()) {
            return;
        }
        Pointer pointer = known.get();
        LoadedModel next;
        try {
            Path artifact = artifacts.fetch(pointer.sha256(), () -> {
                throw new java.io.IOException("not in this instance's cache, and the store is unreachable");
            });
            next = loader.load(pointer.model(), pointer.version(), pointer.sha256(), pointer.generation(), artifact);
        } catch (Exception e) {
            LOG.warning("the last known baseline " + slot.model + ":" + pointer.version() + " could not be served: "
                    + e.getMessage());
            return;
        }
        LoadFailure offline = new LoadFailure(pointer.version(), "the store could not be read ("
                + storeDown.getMessage() + "); serving the last baseline this instance knew (generation "
                + pointer.generation() + ") until it answers", now);
        slot.state.getAndUpdate(s -> s.swappedTo(next, null).reporting(offline));
        LOG.warning(() -> "store unreachable at start: serving the last known " + slot.model + ":" + pointer.version()
                + " (generation " + pointer.generation() + ")");
    }

    private LoadedModel load(Pointer pointer) throws Exception {
        ModelVersion version = registry.find(pointer.model(), pointer.version()).orElseThrow(
                () -> new IllegalStateException("version " + pointer.version() + " of " + pointer.model()
                        + " is not in the registry"));
        Path artifact = artifacts.fetch(pointer.sha256(), () -> registry.openArtifact(version));
        return loader.load(pointer.model(), pointer.version(), pointer.sha256(), pointer.generation(), artifact);
    }

    private Slot slot(String model) {
        Slot slot = slots.get(model);
        if (slot == null) {
            throw new NotFound("unknown_model", "model '" + model + "' is not served here; served models: "
                    + String.join(", ", slots.keySet()));
        }
        return slot;
    }

    /** What each model serves now, and why not when it cannot. */
    public List<ModelStatus> status() {
        List<ModelStatus> list = new ArrayList<>();
        for (Slot slot : slots.values()) {
            State state = slot.state.get(); // one snapshot: every field below belongs to it
            list.add(new ModelStatus(slot.model, Optional.ofNullable(state.serving()),
                    Optional.ofNullable(state.lastCheck()), Optional.ofNullable(state.failure()), state.loads(),
                    Optional.ofNullable(state.loading())));
        }
        return list;
    }

    /** Whether every configured model has a baseline loaded. */
    public boolean ready() {
        return slots.values().stream().allMatch(s -> s.state.get().serving() != null);
    }

    @Override
    public void close() {
        for (Slot slot : slots.values()) {
            LoadedModel current = slot.state.getAndUpdate(State::closed).serving();
            if (current != null) {
                current.retire();
            }
        }
    }

    /** A load that did not happen, and why. */
    public record LoadFailure(String version, String reason, Instant at) {
    }

    /**
     * One model's serving state, read as one snapshot; {@code loads} counts the versions loaded
     * since start, {@code loading} names the version being loaded now, if any.
     */
    public record ModelStatus(String model, Optional<LoadedModel> serving, Optional<Instant> lastCheck,
                              Optional<LoadFailure> lastFailure, long loads, Optional<String> loading) {
    }

    /**
     * Everything a reader may see of one slot, replaced whole by the single running check (and
     * by {@link #close()}), so a reader never sees a served version beside another's counters
     * or errors. The serving model also holds its request counters and its load time.
     *
     * @param serving    the leased-out version, or null before the first load and after close
     * @param etag       the pointer's ETag that {@code serving} answers to, or null
     * @param failedEtag the ETag of the pointer whose load failed last, or null
     * @param retryAt    when a pointer that failed is tried again though unchanged
     * @param lastCheck  when the pointer was checked last, or null
     * @param failure    why the last load failed (or why nothing serves), or null
     * @param loading    the version a load is under way for, or null
     * @param loads      versions loaded since start
     */
    private record State(LoadedModel serving, String etag, String failedEtag, Instant retryAt, Instant lastCheck,
                         LoadFailure failure, String loading, long loads) {
        static final State EMPTY = new State(null, null, null, Instant.EPOCH, null, null, null, 0);

        State checkedAt(Instant at) {
            return new State(serving, etag, failedEtag, retryAt, at, failure, loading, loads);
        }

        State at(String newEtag) {
            return new State(serving, newEtag, failedEtag, retryAt, lastCheck, failure, loading, loads);
        }

        State reporting(LoadFailure why) {
            return new State(serving, etag, failedEtag, retryAt, lastCheck, why, loading, loads);
        }

        State loadingVersion(String version) {
            return new State(serving, etag, failedEtag, retryAt, lastCheck, failure, version, loads);
        }

        State failed(LoadFailure why, String pointerEtag, Instant retry) {
            return new State(serving, etag, pointerEtag, retry, lastCheck, why, null, loads);
        }

        /** {@code next} serves now: the failure is cleared and the load counted, in the same state. */
        State swappedTo(LoadedModel next, String newEtag) {
            return new State(next, newEtag, null, retryAt, lastCheck, null, null, loads + 1);
        }

        State closed() {
            return new State(null, etag, failedEtag, retryAt, lastCheck, failure, loading, loads);
        }
    }

    private static final class Slot {
        final String model;
        final AtomicReference<State> state = new AtomicReference<>(State.EMPTY);
        // Guarded by the slot's monitor: the check running now and the one queued after it.
        CompletableFuture<Void> running;
        CompletableFuture<Void> queued;

        Slot(String model) {
            this.model = model;
        }
    }
}

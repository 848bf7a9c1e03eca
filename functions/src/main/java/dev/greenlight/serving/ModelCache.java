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
            LoadedModel current = slot.current.get();
            if (current == null) {
                awaitFirstLoad(slot);
                current = slot.current.get();
                if (current == null) {
                    throw new Unavailable("model_unavailable", "model '" + model + "' has no baseline loaded"
                            + Optional.ofNullable(slot.failure).map(f -> ": " + f.reason()).orElse(""));
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
        slot.lastCheck = now;
        if (slot.failedEtag != null && now.isBefore(slot.retryAt)) {
            Optional<Versioned<Pointer>> again = pointers.readIfChanged(slot.model, slot.failedEtag);
            if (again.isEmpty()) {
                return; // the pointer that failed has not changed; wait before trying it again
            }
        }
        Optional<Versioned<Pointer>> changed = pointers.readIfChanged(slot.model, slot.etag);
        if (changed.isEmpty()) {
            if (slot.etag == null && slot.current.get() == null) {
                slot.failure = new LoadFailure(null, "no baseline pointer for model '" + slot.model + "'", now);
            }
            return;
        }
        Pointer pointer = changed.get().value();
        String etag = changed.get().etag();
        LoadedModel current = slot.current.get();
        if (current != null && current.sha256().equals(pointer.sha256())
                && current.version().equals(pointer.version())) {
            slot.etag = etag;
            return;
        }
        try {
            LoadedModel next = load(pointer);
            LoadedModel old = slot.current.getAndSet(next);
            slot.loads.incrementAndGet();
            slot.etag = etag;
            slot.failure = null;
            slot.failedEtag = null;
            LOG.info(() -> "serving " + slot.model + ":" + next.version() + " (generation " + next.generation()
                    + ")" + (old == null ? "" : ", replacing " + old.version()));
            if (old != null) {
                old.retire();
            }
        } catch (Exception e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            slot.failure = new LoadFailure(pointer.version(), reason, now);
            slot.failedEtag = etag;
            slot.retryAt = now.plus(RETRY_FAILED);
            LOG.log(Level.WARNING, "could not load " + slot.model + ":" + pointer.version()
                    + "; " + (current == null ? "nothing serves yet" : current.version() + " keeps serving")
                    + ": " + reason);
        }
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
            list.add(new ModelStatus(slot.model, Optional.ofNullable(slot.current.get()),
                    Optional.ofNullable(slot.lastCheck), Optional.ofNullable(slot.failure), slot.loads.get()));
        }
        return list;
    }

    /** Whether every configured model has a baseline loaded. */
    public boolean ready() {
        return slots.values().stream().allMatch(s -> s.current.get() != null);
    }

    @Override
    public void close() {
        for (Slot slot : slots.values()) {
            LoadedModel current = slot.current.getAndSet(null);
            if (current != null) {
                current.retire();
            }
        }
    }

    /** A load that did not happen, and why. */
    public record LoadFailure(String version, String reason, Instant at) {
    }

    /** One model's serving state; {@code loads} counts the versions loaded since start. */
    public record ModelStatus(String model, Optional<LoadedModel> serving, Optional<Instant> lastCheck,
                              Optional<LoadFailure> lastFailure, long loads) {
    }

    private static final class Slot {
        final String model;
        final AtomicReference<LoadedModel> current = new AtomicReference<>();
        // Guarded by the slot's monitor: the check running now and the one queued after it.
        CompletableFuture<Void> running;
        CompletableFuture<Void> queued;
        // Written only by the single running check; read by status and readers.
        volatile String etag;
        volatile String failedEtag;
        volatile Instant retryAt = Instant.EPOCH;
        volatile Instant lastCheck;
        volatile LoadFailure failure;
        final java.util.concurrent.atomic.AtomicLong loads = new java.util.concurrent.atomic.AtomicLong();

        Slot(String model) {
            this.model = model;
        }
    }
}

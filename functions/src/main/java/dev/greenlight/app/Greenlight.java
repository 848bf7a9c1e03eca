package dev.greenlight.app;

import dev.greenlight.config.Settings;
import dev.greenlight.fanout.BaselineChangedPublisher;
import dev.greenlight.fanout.RefreshFanout;
import dev.greenlight.fanout.RefreshReceiver;
import dev.greenlight.fanout.RefreshSignature;
import java.util.Optional;
import dev.greenlight.gate.Gate;
import dev.greenlight.promotion.CandidateProbe;
import dev.greenlight.promotion.EventIntake;
import dev.greenlight.promotion.LedgerStore;
import dev.greenlight.promotion.PromotionService;
import dev.greenlight.promotion.DriftRepair;
import dev.greenlight.registry.ModelRegistry;
import dev.greenlight.serving.InferenceProtocol;
import dev.greenlight.serving.ModelCache;
import dev.greenlight.serving.ModelLoader;
import dev.greenlight.serving.Predictions;
import dev.greenlight.serving.StatusReport;
import dev.greenlight.store.ArtifactCache;
import dev.greenlight.store.DocumentStore;
import dev.greenlight.store.PointerStore;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The composition root: builds every service once from {@link Settings} and keeps them for
 * the life of the process. The Functions worker creates a function object per invocation, so
 * the function classes reach their services through {@link #instance()}.
 */
public final class Greenlight implements AutoCloseable {
    private static volatile Greenlight instance;
    private static final Duration OWN_SWAP_WAIT = Duration.ofSeconds(2);

    private final Settings settings;
    private final ModelCache cache;
    private final Predictions predictions;
    private final InferenceProtocol inference;
    private final StatusReport status;
    private final PromotionService promotion;
    private final EventIntake events;
    private final RefreshReceiver refresh;
    private final DriftRepair sync;
    private final ExecutorService loads;
    private final ScheduledExecutorService poller;
    private final Optional<RefreshFanout> fanout;

    public Greenlight(Settings settings, Clock clock) {
        this.settings = settings;
        this.loads = Executors.newFixedThreadPool(2, daemon("greenlight-load"));
        this.poller = Executors.newSingleThreadScheduledExecutor(daemon("greenlight-poll"));
        ModelRegistry registry = Registries.from(settings);
        DocumentStore documents = Stores.from(settings.store());
        PointerStore pointers = new PointerStore(documents);
        ArtifactCache artifacts = new ArtifactCache(settings.cacheDir(), settings.maxModelBytes());
        ModelLoader loader = new ModelLoader(settings.inferenceThreads(), clock);
        this.cache = new ModelCache(settings.models(), pointers, registry, artifacts, loader, loads, clock,
                Duration.ofSeconds(60));
        LedgerStore ledgers = new LedgerStore(documents);
        this.fanout = fanout(settings, clock);
        this.promotion = PromotionService.builder().models(settings.models()).registry(registry).ledgers(ledgers)
                .pointers(pointers).probe(new CandidateProbe(registry, artifacts, loader, settings.metricPrefix()))
                .gate(new Gate(settings.gate())).tags(settings.baselineTag(), settings.candidateTag())
                .onFlip(this::awaitOwnSwap).fanout(fanout).events(baselineEvents(settings)).clock(clock).build();
        this.sync = new DriftRepair(promotion, pointers, registry, documents, clock);
        this.events = new EventIntake(promotion, dev.greenlight.events.EventScope.of(settings.registry()));
        this.refresh = new RefreshReceiver(settings.refreshKey(), cache, pointers, clock);
        this.predictions = new Predictions(cache);
        this.inference = new InferenceProtocol(cache);
        this.status = new StatusReport(cache, clock.instant());
    }

    private static Optional<RefreshFanout> fanout(Settings settings, Clock clock) {
        if (settings.refreshTargets().isEmpty()) {
            return Optional.empty();
        }
        RefreshFanout.Policy policy = RefreshFanout.Policy.defaults();
        return Optional.of(new RefreshFanout(settings.refreshTargets(), new RefreshSignature(settings.refreshKey()),
                policy.client(), policy, clock));
    }

    private static Optional<BaselineChangedPublisher> baselineEvents(Settings settings) {
        if (settings.eventTopic() == null) {
            return Optional.empty();
        }
        return Optional.of(settings.eventTopicKey() != null
                ? BaselineChangedPublisher.forTopic(settings.eventTopic(), settings.eventTopicKey(), null)
                : BaselineChangedPublisher.forTopic(settings.eventTopic(),
                        Credentials.shared(), null));
    }

    /** The process-wide instance, built on first use from the host's settings. */
    public static Greenlight instance() {
        Greenlight current = instance;
        if (current == null) {
            synchronized (Greenlight.class) {
                current = instance;
                if (current == null) {
                    current = new Greenlight(Settings.load(), Clock.systemUTC()).start();
                    instance = current;
                    dev.greenlight.config.HostSettings.onStop(Greenlight::shutdown);
                }
            }
        }
        return current;
    }

    /**
     * Starts loading every model and polling the pointers. Azure Functions cannot broadcast to
     * its own scaled-out instances, so each instance checks the pointers itself, off the
     * request path, at most every GREENLIGHT_POINTER_TTL.
     */
    public Greenlight start() {
        for (String model : settings.models()) {
            adopt(model);
        }
        cache.refreshAll();
        long period = settings.pointerTtl().toNanos();
        poller.scheduleWithFixedDelay(cache::refreshAll, period, period, TimeUnit.NANOSECONDS);
        return this;
    }

    /**
     * After a flip, this instance swaps before the flip answers (bounded), so a caller that got
     * "promoted" from an instance is answered by the new version there; other instances follow
     * within GREENLIGHT_POINTER_TTL.
     */
    private void awaitOwnSwap(String model) {
        try {
            cache.refresh(model).get(OWN_SWAP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            java.util.logging.Logger.getLogger(Greenlight.class.getName()).info(() -> model
                    + ": the new baseline is still loading after " + OWN_SWAP_WAIT.toMillis() + " ms; answering now");
        } catch (java.util.concurrent.ExecutionException e) {
            java.util.logging.Logger.getLogger(Greenlight.class.getName()).warning(model
                    + ": this instance could not check the new pointer: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A model seen for the first time adopts the baseline its registry already tags, so the
     * instance serves it at once; a store or registry that is down, or two tagged versions,
     * leave it to the sync check (Status says why).
     */
    private void adopt(String model) {
        try {
            promotion.adopt(model);
        } catch (RuntimeException e) {
            java.util.logging.Logger.getLogger(Greenlight.class.getName()).warning(
                    "no baseline adopted for " + model + " at start: " + e.getMessage());
        }
    }

    public Settings settings() {
        return settings;
    }

    public ModelCache cache() {
        return cache;
    }

    public Predictions predictions() {
        return predictions;
    }

    public InferenceProtocol inference() {
        return inference;
    }

    public StatusReport status() {
        return status;
    }

    /** What this instance serves, with each model's ledger summary (baseline, generation, history, pending). */
    public com.fasterxml.jackson.databind.node.ObjectNode statusWithLedger() {
        var body = status.status();
        for (var node : body.withArray("models")) {
            var model = (com.fasterxml.jackson.databind.node.ObjectNode) node;
            String name = model.path("model").asText();
            promotion.baselineConflict(name).ifPresent(conflict -> model.put("baselineConflict", conflict));
            promotion.ledger(name).ifPresent(ledger -> {
                var summary = model.putObject("ledger");
                summary.put("generation", ledger.generation());
                ledger.baseline().ifPresent(b -> summary.put("baseline", b.version()));
                var previous = summary.putArray("previous");
                ledger.history().forEach(h -> previous.add(h.version()));
                var pending = summary.putArray("pending");
                ledger.pending().forEach(pending::add);
                summary.put("decisions", ledger.decisions().size());
                ledger.decisions().stream().filter(d -> !d.refresh().isEmpty()).reduce((a, b) -> b).ifPresent(d ->
                        summary.put("refreshConfirmed", d.refresh().stream().filter(o -> o.confirmed()).count()
                                + " of " + d.refresh().size() + " for " + d.version()));
                if (!ledger.decisions().isEmpty()) {
                    var last = ledger.decisions().get(ledger.decisions().size() - 1);
                    summary.put("lastDecision", last.outcome() + " " + (last.version() == null ? "run " + last.runId()
                            : last.version()) + ": " + last.reason());
                }
            });
        }
        sync.last().ifPresent(last -> body.set("lastSync", last));
        return body;
    }

    public PromotionService promotion() {
        return promotion;
    }

    public EventIntake events() {
        return events;
    }

    public RefreshReceiver refresh() {
        return refresh;
    }

    public DriftRepair sync() {
        return sync;
    }

    /** Closes the process-wide instance, if one was built (the local host calls this when it stops). */
    public static void shutdown() {
        synchronized (Greenlight.class) {
            Greenlight current = instance;
            instance = null;
            if (current != null) {
                current.close();
            }
        }
        // The Azure SDK's HTTP clients share reactor-netty's event loops, which belong to this
        // app's class loader (the local host loads one app per loader), as do Reactor's shared
        // schedulers: release them with the app.
        try {
            reactor.netty.http.HttpResources.disposeLoopsAndConnectionsLater(Duration.ZERO, Duration.ofSeconds(2))
                    .block(Duration.ofSeconds(5));
            reactor.core.scheduler.Schedulers.shutdownNow();
        } catch (RuntimeException e) {
            java.util.logging.Logger.getLogger(Greenlight.class.getName()).fine("netty resources: " + e);
        }
    }

    /** Stops every pool this instance started and closes what it owns: sessions, fan-out, promotion effects. */
    @Override
    public void close() {
        poller.shutdownNow();
        loads.shutdownNow();
        try {
            // A check already running may still swap in a model: let it end before the cache closes.
            loads.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        promotion.close();
        fanout.ifPresent(RefreshFanout::close);
        cache.close();
    }

    private static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}

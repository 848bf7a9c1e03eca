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
import dev.greenlight.promotion.SyncCheck;
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

    private final Settings settings;
    private final ModelCache cache;
    private final Predictions predictions;
    private final InferenceProtocol inference;
    private final StatusReport status;
    private final PromotionService promotion;
    private final EventIntake events;
    private final RefreshReceiver refresh;
    private final SyncCheck sync;
    private final ExecutorService loads;
    private final ScheduledExecutorService poller;

    public Greenlight(Settings settings, Clock clock) {
        this.settings = settings;
        this.loads = Executors.newFixedThreadPool(2, daemon("greenlight-load"));
        this.poller = Executors.newSingleThreadScheduledExecutor(daemon("greenlight-poll"));
        ModelRegistry registry = Registries.from(settings);
        DocumentStore documents = Stores.from(settings.store());
        PointerStore pointers = new PointerStore(documents);
        ArtifactCache artifacts = new ArtifactCache(settings.cacheDir());
        ModelLoader loader = new ModelLoader(settings.inferenceThreads(), clock);
        this.cache = new ModelCache(settings.models(), pointers, registry, artifacts, loader, loads, clock,
                Duration.ofSeconds(60));
        LedgerStore ledgers = new LedgerStore(documents);
        Optional<RefreshFanout> fanout = fanout(settings, clock);
        this.promotion = new PromotionService(settings.models(), registry, ledgers, pointers,
                new CandidateProbe(registry, artifacts, loader, settings.metricPrefix()),
                new Gate(settings.gate()), settings.baselineTag(), settings.candidateTag(),
                cache::refresh, fanout, baselineEvents(settings), clock);
        this.sync = new SyncCheck(promotion, ledgers, pointers, registry, documents, fanout, settings.baselineTag(),
                settings.candidateTag(), clock);
        this.events = new EventIntake(promotion, registry);
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
                        new com.azure.identity.DefaultAzureCredentialBuilder().build(), null));
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
        cache.refreshAll();
        long period = settings.pointerTtl().toNanos();
        poller.scheduleWithFixedDelay(cache::refreshAll, period, period, TimeUnit.NANOSECONDS);
        return this;
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
            promotion.ledger(model.path("model").asText()).ifPresent(ledger -> {
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
                    summary.put("lastDecision", last.outcome() + " " + last.version() + ": " + last.reason());
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

    public SyncCheck sync() {
        return sync;
    }

    @Override
    public void close() {
        poller.shutdownNow();
        loads.shutdownNow();
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

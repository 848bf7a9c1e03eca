package dev.greenlight.promotion;

import static org.assertj.core.api.Assertions.assertThat;

import dev.greenlight.gate.Gate;
import dev.greenlight.gate.GatePolicy;
import dev.greenlight.registry.ModelRegistry;
import dev.greenlight.registry.ModelVersion;
import dev.greenlight.serving.ModelLoader;
import dev.greenlight.store.ArtifactCache;
import dev.greenlight.store.DocumentStore;
import dev.greenlight.store.LocalDocumentStore;
import dev.greenlight.store.PointerStore;
import dev.greenlight.store.Versioned;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A crash at every step of a promotion and a rollback: the store and the registry stop
 * answering after their N-th call, for every N the two operations make. After a restart, one
 * sync check restores a consistent state, and a redelivered event is not applied twice.
 */
class CrashAtEveryStepTest {
    @TempDir
    Path root;

    @Test
    void after_a_crash_at_any_call_one_sync_check_restores_a_consistent_state() throws IOException {
        int calls = run(root.resolve("clean"), Integer.MAX_VALUE).calls;
        assertThat(calls).isGreaterThan(20);
        int consistent = 0;
        for (int n = 1; n <= calls; n++) {
            Outcome outcome = run(root.resolve("crash-" + n), n);
            assertThat(outcome.problems).as("crash after call %d of %d", n, calls).isEmpty();
            consistent++;
        }
        System.out.printf("crash at every step: %d crash points through a promotion and a rollback, %d consistent"
                + " after restart and one sync check%n", calls, consistent);
    }

    private record Outcome(int calls, List<String> problems) {
    }

    /** Seeds a baseline, then promotes version 2 and rolls back, with every call after the {@code crashAfter}-th failing. */
    private Outcome run(Path dir, int crashAfter) throws IOException {
        java.nio.file.Files.createDirectories(dir);
        PromotionFixture f = new PromotionFixture(dir);
        f.register(1);
        f.service().evaluate("iris-clf", "1", "event:e1");
        f.register(2);
        AtomicInteger calls = new AtomicInteger();
        Crash crash = new Crash(calls, crashAfter);
        DocumentStore store = crash.store(new LocalDocumentStore(dir.resolve("store")));
        ModelRegistry registry = crash.registry(f.registry);
        PromotionService crashing = service(dir, registry, store);
        try {
            crashing.evaluate("iris-clf", "2", "event:e2");
            crashing.rollback("iris-clf", Optional.empty(), "ops", Optional.of("rollback-1"));
        } catch (RuntimeException crashed) {
            // the process died here
        }
        crashing.close();

        // Restart on the same store and registry, as a new process would.
        PromotionService restarted = f.service();
        new DriftRepair(restarted, f.pointers, f.registry, f.documents, Clock.systemUTC()).run("timer");
        restarted.evaluate("iris-clf", "2", "event:e2"); // Event Grid redelivers what did not answer 2xx
        new DriftRepair(restarted, f.pointers, f.registry, f.documents, Clock.systemUTC()).run("timer");
        return new Outcome(calls.get(), problems(f));
    }

    private static List<String> problems(PromotionFixture f) {
        List<String> problems = new java.util.ArrayList<>();
        Ledger ledger = f.ledger();
        var pointer = f.pointer();
        if (pointer.generation() != ledger.generation() || !pointer.version().equals(ledger.baseline().orElseThrow().version())) {
            problems.add("pointer " + pointer + " disagrees with the ledger " + ledger.generation() + "/" + ledger.baseline());
        }
        Map<String, String> tags = f.baselineTags();
        if (!tags.equals(Map.of(pointer.version(), Long.toString(pointer.generation())))) {
            problems.add("baseline tags " + tags + " disagree with the pointer " + pointer);
        }
        long judgements = ledger.decisions().stream().filter(d -> "2".equals(d.version()) && d.registration() != null
                && Ledger.judges(d)).count();
        if (judgements != 1) {
            problems.add("version 2 was judged " + judgements + " times");
        }
        long rollbacks = ledger.decisions().stream().filter(d -> d.outcome() == dev.greenlight.promotion.Outcome.ROLLED_BACK)
                .count();
        if (rollbacks > 1) {
            problems.add("one rollback request moved " + rollbacks + " times");
        }
        return problems;
    }

    private static PromotionService service(Path dir, ModelRegistry registry, DocumentStore store) {
        return PromotionService.builder().models(List.of("iris-clf")).registry(registry)
                .ledgers(new LedgerStore(store)).pointers(new PointerStore(store))
                .probe(new CandidateProbe(registry, new ArtifactCache(dir.resolve("cache")),
                        new ModelLoader(1, Clock.systemUTC()), ""))
                .gate(new Gate(GatePolicy.defaults())).tags("baseline", "dynamic").build();
    }

    /** Counts every store and registry call; from the one after {@code after}, each fails as a dead process would. */
    private record Crash(AtomicInteger calls, int after) {
        void tick() {
            if (calls.incrementAndGet() > after) {
                throw new dev.greenlight.store.StoreUnavailable("crashed after call " + after, null);
            }
        }

        DocumentStore store(DocumentStore delegate) {
            return new DocumentStore() {
                @Override
                public Optional<Versioned<byte[]>> read(String name) {
                    tick();
                    return delegate.read(name);
                }

                @Override
                public Optional<Versioned<byte[]>> readIfChanged(String name, String knownEtag) {
                    tick();
                    return delegate.readIfChanged(name, knownEtag);
                }

                @Override
                public String write(String name, byte[] content, String expectedEtag) {
                    tick();
                    return delegate.write(name, content, expectedEtag);
                }
            };
        }

        ModelRegistry registry(ModelRegistry delegate) {
            return new ModelRegistry() {
                @Override
                public List<ModelVersion> versions(String model) {
                    tick();
                    return delegate.versions(model);
                }

                @Override
                public Optional<ModelVersion> find(String model, String version) {
                    tick();
                    return delegate.find(model, version);
                }

                @Override
                public InputStream openArtifact(ModelVersion version) throws IOException {
                    tick();
                    return delegate.openArtifact(version);
                }

                @Override
                public ModelVersion setTags(String model, String version, Map<String, String> tags) throws IOException {
                    tick();
                    return delegate.setTags(model, version, tags);
                }

                @Override
                public ModelVersion updateTags(String model, String version, UnaryOperator<Map<String, String>> change)
                        throws IOException {
                    tick();
                    return delegate.updateTags(model, version, change);
                }
            };
        }
    }
}

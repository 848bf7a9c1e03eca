package dev.greenlight.promotion;

import static org.assertj.core.api.Assertions.assertThat;

import dev.greenlight.errors.Conflict;
import dev.greenlight.errors.Unavailable;
import dev.greenlight.events.EventScope;
import dev.greenlight.registry.ModelVersion;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 10,000 Event Grid deliveries (30 % duplicates, shuffled) from 8 senders while operators
 * promote and roll back, and an observer samples the pointer and the registry tags throughout.
 */
class ConcurrencyAndDuplicatesTest {
    private static final int DELIVERIES = 10_000;
    private static final int REGISTRATIONS = 60;
    private static final long SEED = 20261203L;

    @TempDir
    Path dir;

    @Test
    void a_storm_of_deliveries_and_operator_flips_never_shows_zero_or_two_baselines() throws Exception {
        PromotionFixture f = new PromotionFixture(dir);
        Random random = new Random(SEED);
        f.register(1);
        List<String> versions = new ArrayList<>();
        for (int i = 0; i < REGISTRATIONS; i++) {
            String f1 = String.format(java.util.Locale.ROOT, "%.4f", 0.86 + random.nextDouble() * 0.13);
            ModelVersion v = f.registerFile("iris-clf-" + (1 + i % 2) + ".onnx", Map.of("f1", f1),
                    Map.of("dynamic", "true"), null);
            versions.add(v.version());
        }
        PromotionService promotion = f.service();
        promotion.evaluate("iris-clf", "1", "event:first"); // a baseline before the storm
        EventIntake intake = new EventIntake(promotion, EventScope.of(dir.resolve("registry").toString()));
        int distinct = (int) (DELIVERIES * 0.7);
        List<String> events = new ArrayList<>();
        for (int i = 0; i < distinct; i++) {
            events.add(event("storm-" + i, versions.get(random.nextInt(versions.size()))));
        }
        for (int i = distinct; i < DELIVERIES; i++) {
            events.add(events.get(random.nextInt(distinct)));
        }
        Collections.shuffle(events, random);

        AtomicBoolean done = new AtomicBoolean();
        List<String> violations = new CopyOnWriteArrayList<>();
        Set<String> operatorDecisions = ConcurrentHashMap.newKeySet();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger redeliveries = new AtomicInteger();
        AtomicInteger operatorCalls = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(11);
        long start = System.nanoTime();
        try {
            Future<Integer> observer = pool.submit(() -> observe(f, done, violations));
            List<Future<?>> workers = new ArrayList<>();
            for (int s = 0; s < 8; s++) {
                workers.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < events.size(); i = next.getAndIncrement()) {
                        while (true) { // as Event Grid does: a failed delivery is delivered again
                            try {
                                intake.handle(events.get(i));
                                break;
                            } catch (Unavailable contended) {
                                redeliveries.incrementAndGet();
                            }
                        }
                    }
                    return null;
                }));
            }
            for (int o = 0; o < 2; o++) {
                long operatorSeed = SEED + o;
                workers.add(pool.submit(() -> {
                    Random r = new Random(operatorSeed);
                    while (next.get() < events.size()) {
                        operatorCalls.incrementAndGet();
                        try {
                            Decision d = r.nextBoolean()
                                    ? promotion.rollback("iris-clf", Optional.empty(), "ops", Optional.empty())
                                    : promotion.promote("iris-clf", versions.get(r.nextInt(versions.size())), true,
                                    "ops", Optional.empty());
                            operatorDecisions.add(d.id());
                        } catch (Conflict | Unavailable legal) {
                            // nothing to roll back to, already the baseline, or too contended right now
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> w : workers) {
                w.get(5, TimeUnit.MINUTES);
            }
            done.set(true);
            int samples = observer.get(1, TimeUnit.MINUTES);
            double seconds = (System.nanoTime() - start) / 1e9;

            Ledger ledger = f.ledger();
            long judgements = 0;
            for (String v : versions) {
                ModelVersion mv = f.version(v);
                String key = Registrations.key(mv);
                long inLedger = ledger.decisions().stream()
                        .filter(d -> key.equals(d.registration()) && d.actor().startsWith("event:")).count();
                long archived = f.ledgers.archivedJudgement("iris-clf", key)
                        .filter(d -> d.actor().startsWith("event:") && ledger.decision(d.id()).isEmpty()).isPresent() ? 1 : 0;
                assertThat(inLedger + archived).as("automatic judgements of version %s", v).isLessThanOrEqualTo(1);
                // Judged exactly once automatically, or an operator decided it first (then its events are no-ops).
                assertThat(promotion.judged(mv)).as("version %s judged", v).isTrue();
                judgements += inLedger + archived;
            }
            for (String id : operatorDecisions) {
                assertThat(ledger.hasDecision(id) || f.ledgers.archived("iris-clf", id)).as("decision %s kept", id)
                        .isTrue();
            }
            System.out.printf("concurrency and duplicates: %,d deliveries (%,d distinct events, %d registrations) from 8"
                            + " senders and %,d operator calls in %.1f s; %d judgements by events, the other registrations decided by operators first (every registration judged, none twice);"
                            + " %,d observer samples, %d violations; %d redeliveries after contention%n",
                    DELIVERIES, distinct, REGISTRATIONS, operatorCalls.get(), seconds, judgements, samples,
                    violations.size(), redeliveries.get());
            assertThat(violations).isEmpty();
            assertThat(samples).isPositive();
        } finally {
            done.set(true);
            pool.shutdownNow();
        }
        assertThat(f.baselineTags()).containsExactly(Map.entry(f.pointer().version(),
                Long.toString(f.pointer().generation())));
        assertThat(f.ledger().baseline().orElseThrow().version()).isEqualTo(f.pointer().version());
    }

    /** Samples the pointer (never backwards) and the registry (one highest-generation baseline tag, never none). */
    private static int observe(PromotionFixture f, AtomicBoolean done, List<String> violations) {
        int samples = 0;
        long lastGeneration = 0;
        while (!done.get()) {
            samples++;
            long generation = f.pointer().generation();
            if (generation < lastGeneration) {
                violations.add("pointer went back from generation " + lastGeneration + " to " + generation);
            }
            lastGeneration = generation;
            Map<String, String> tags = f.baselineTagsAtOneInstant();
            if (tags.isEmpty()) {
                violations.add("no baseline tag at sample " + samples);
                continue;
            }
            long top = tags.values().stream().mapToLong(BaselineTags::generationOf).max().orElseThrow();
            long atTop = tags.values().stream().filter(t -> BaselineTags.generationOf(t) == top).count();
            if (atTop != 1) {
                violations.add("two baselines at generation " + top + " at sample " + samples + ": " + tags);
            }
        }
        return samples;
    }


    private static String event(String id, String version) {
        return """
                [{"id": "%s", "topic": "%s", "subject": "models/iris-clf:%s",
                  "eventType": "Microsoft.MachineLearningServices.ModelRegistered", "eventTime": "2026-12-03T00:00:00Z",
                  "data": {"modelName": "iris-clf", "modelVersion": "%s"}, "dataVersion": "2", "metadataVersion": "1"}]"""
                .formatted(id, EventScope.LOCAL_TOPIC, version, version);
    }
}

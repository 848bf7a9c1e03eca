package dev.greenlight.promotion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.greenlight.errors.Conflict;
import dev.greenlight.errors.Unavailable;
import dev.greenlight.gate.GatePolicy;
import dev.greenlight.registry.ModelVersion;
import dev.greenlight.store.StoreUnavailable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The wrong-baseline cases teams meet: late and duplicate events, archived rejections, a flip
 * half written when the store failed, concurrent writers of the registry tags, lost store data,
 * a baseline the registry already tags, versions not listed yet, and runs with several versions.
 */
class NeverTheWrongBaselineTest {
    @TempDir
    Path dir;
    PromotionFixture f;

    @BeforeEach
    void setUp() {
        f = new PromotionFixture(dir);
    }

    @Test
    void a_late_event_does_not_repromote_a_version_the_operator_rolled_back() throws IOException {
        PromotionService promotion = f.service();
        f.register(1);
        promotion.evaluate("iris-clf", "1", "event:e1");
        f.register(2);
        // The event for version 2 was lost: the sync check judged it.
        assertThat(promotion.evaluate("iris-clf", "2", "sync:timer").orElseThrow().outcome()).isEqualTo(Outcome.PROMOTED);
        promotion.rollback("iris-clf", Optional.empty(), "cli:ops", Optional.empty());

        Optional<Decision> retried = promotion.evaluate("iris-clf", "2", "event:e2-retried-by-event-grid");

        assertThat(retried).isEmpty();
        assertThat(f.pointer().version()).isEqualTo("1");
        assertThat(f.baselineTags()).containsOnlyKeys("1");
    }

    @Test
    void an_event_after_an_operator_already_decided_is_a_no_op() throws IOException {
        PromotionService promotion = f.service();
        f.register(1);
        promotion.evaluate("iris-clf", "1", "event:e1");
        f.register(3);
        promotion.promote("iris-clf", "2", true, "cli:ops", Optional.empty());
        promotion.rollback("iris-clf", Optional.empty(), "cli:ops", Optional.empty());

        assertThat(promotion.evaluate("iris-clf", "2", "event:late")).isEmpty();
        assertThat(f.pointer().version()).isEqualTo("1");
    }

    @Test
    void an_archived_rejection_is_never_promoted_by_the_sync_check() throws IOException {
        PromotionService promotion = f.service();
        f.register(1);
        f.register(2);
        promotion.evaluate("iris-clf", "1", "event:e1");
        promotion.evaluate("iris-clf", "2", "event:e2");
        // Version 3 beats version 1 but not version 2, the baseline when it is judged.
        f.registerFile("iris-clf-1.onnx", Map.of("f1", "0.93"), Map.of("dynamic", "true"), null);
        Decision rejected = promotion.evaluate("iris-clf", "3", "event:e3").orElseThrow();
        assertThat(rejected.outcome()).isEqualTo(Outcome.REJECTED);
        pushOutOfTheLedger(promotion, rejected); // ends with version 1 as the baseline, which 3 would beat
        // Removing the candidate tag failed back then: version 3 still looks like a candidate.
        f.registry.updateTags("iris-clf", "3", tags -> Map.of("dynamic", "true"));

        var result = new DriftRepair(promotion, f.pointers, f.registry, f.documents, Clock.systemUTC()).run("timer");

        assertThat(f.ledger().decisions()).noneMatch(d -> "3".equals(d.version()) && d.outcome() == Outcome.PROMOTED);
        assertThat(f.pointer().version()).isEqualTo("1");
        assertThat(f.version("3").tags()).doesNotContainKey("dynamic");
        assertThat(result.path("drift").toString()).contains("iris-clf:3 was rejected but kept its 'dynamic' tag");
    }

    @Test
    void a_flip_whose_pointer_write_failed_is_completed_by_the_next_reader_and_a_redelivery_stays_a_no_op()
            throws IOException {
        PromotionService promotion = f.service();
        f.register(1);
        promotion.evaluate("iris-clf", "1", "event:e1");
        f.register(2);
        f.documents.failWrites((name, n) -> name.startsWith("pointers/"));

        assertThatThrownBy(() -> promotion.evaluate("iris-clf", "2", "event:e2")).isInstanceOf(StoreUnavailable.class);
        assertThat(f.ledger().generation()).isEqualTo(2);
        assertThat(f.pointer().generation()).isEqualTo(1);

        f.documents.heal();
        Optional<Decision> redelivered = promotion.evaluate("iris-clf", "2", "event:e2");

        assertThat(redelivered).isEmpty();
        assertThat(f.pointer().version()).isEqualTo("2");
        assertThat(f.pointer().generation()).isEqualTo(2);
        assertThat(f.baselineTags()).containsExactly(Map.entry("2", "2"));
    }

    @Test
    void a_rollback_request_repeated_after_a_half_written_flip_moves_one_step() throws IOException {
        PromotionService promotion = f.service();
        f.register(1);
        promotion.evaluate("iris-clf", "1", "event:e1");
        f.register(2);
        promotion.evaluate("iris-clf", "2", "event:e2");
        f.registerFile("iris-clf-2.onnx", Map.of("f1", "0.99"), Map.of("dynamic", "true"), null);
        promotion.evaluate("iris-clf", "3", "event:e3");
        f.documents.failWrites((name, n) -> name.startsWith("pointers/"));

        assertThatThrownBy(() -> promotion.rollback("iris-clf", Optional.empty(), "cli:ops", Optional.of("req-1")))
                .isInstanceOf(StoreUnavailable.class);
        f.documents.heal();
        Decision again = promotion.rollback("iris-clf", Optional.empty(), "cli:ops", Optional.of("req-1"));

        assertThat(again.toVersion()).isEqualTo("2");
        assertThat(f.ledger().baseline().orElseThrow().version()).isEqualTo("2");
        assertThat(f.ledger().decisions()).filteredOn(d -> d.outcome() == Outcome.ROLLED_BACK).hasSize(1);
        assertThat(f.pointer().version()).isEqualTo("2");
        assertThat(f.pointer().generation()).isEqualTo(4);
    }

    @Test
    void concurrent_promotions_and_rollbacks_never_leave_the_registry_without_a_baseline_tag() throws Exception {
        PromotionService promotion = f.service();
        f.register(1);
        promotion.evaluate("iris-clf", "1", "event:e1");
        f.register(2);
        f.register(2);
        AtomicBoolean done = new AtomicBoolean();
        List<String> seen = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(5);
        try {
            Future<Integer> observer = pool.submit(() -> {
                int samples = 0;
                while (!done.get()) {
                    Map<String, String> tags = f.baselineTagsAtOneInstant();
                    samples++;
                    if (tags.isEmpty()) {
                        seen.add("no baseline tag at sample " + samples);
                    }
                }
                return samples;
            });
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                writers.add(pool.submit(() -> {
                    for (int i = 0; i < 40; i++) {
                        String v = Integer.toString(1 + ThreadLocalRandom.current().nextInt(3));
                        try {
                            if (i % 3 == 2) {
                                promotion.rollback("iris-clf", Optional.empty(), "ops", Optional.empty());
                            } else {
                                promotion.promote("iris-clf", v, true, "ops", Optional.empty());
                            }
                        } catch (Conflict alreadyOrNothingToRollBackTo) {
                            // a legal answer under concurrency
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> w : writers) {
                w.get(2, TimeUnit.MINUTES);
            }
            done.set(true);
            assertThat(observer.get(1, TimeUnit.MINUTES)).isPositive();
        } finally {
            pool.shutdownNow();
        }
        assertThat(seen).isEmpty();
        assertThat(f.baselineTags()).containsExactly(Map.entry(f.pointer().version(),
                Long.toString(f.pointer().generation())));
    }


    @Test
    void a_store_that_lost_its_data_adopts_the_registry_baseline_and_judges_against_it() throws IOException {
        PromotionService promotion = f.service();
        f.register(1);
        promotion.evaluate("iris-clf", "1", "event:e1");
        f.register(2);
        promotion.evaluate("iris-clf", "2", "event:e2");
        deleteTree(dir.resolve("store"));
        f.registerFile("iris-clf-1.onnx", Map.of("f1", "0.90"), Map.of("dynamic", "true"), null); // worse than 2

        PromotionService restarted = f.service();
        Decision decision = restarted.evaluate("iris-clf", "3", "event:e3").orElseThrow();

        assertThat(decision.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(decision.reason()).contains("margin (f1=0.9", "vs baseline 2");
        Decision adoption = f.ledger().decisions().get(0);
        assertThat(adoption.outcome()).isEqualTo(Outcome.ADOPTED);
        assertThat(adoption.version()).isEqualTo("2");
        assertThat(f.ledger().generation()).isEqualTo(2);
        assertThat(f.pointer().version()).isEqualTo("2");
        assertThat(f.baselineTags()).containsOnlyKeys("2");
    }

    @Test
    void a_baseline_a_team_already_tags_is_adopted_on_first_sight_and_judged_against() throws IOException {
        f.registerFile("iris-clf-2.onnx", Map.of("f1", "0.95"), Map.of("baseline", "true"), null);
        f.registerFile("iris-clf-1.onnx", Map.of("f1", "0.90"), Map.of("dynamic", "true"), null);
        PromotionService promotion = f.service();

        Decision decision = promotion.evaluate("iris-clf", "2", "event:e2").orElseThrow();

        assertThat(decision.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(decision.reason()).contains("margin");
        assertThat(f.ledger().decisions().get(0).outcome()).isEqualTo(Outcome.ADOPTED);
        assertThat(f.ledger().decisions().get(0).reason()).contains("from the registry's 'baseline' tag");
        assertThat(f.pointer().version()).isEqualTo("1");
        assertThat(f.baselineTags()).containsOnlyKeys("1");
    }

    @Test
    void two_tagged_versions_are_a_conflict_that_nothing_guesses_and_an_operator_resolves() throws IOException {
        f.registerFile("iris-clf-2.onnx", Map.of("f1", "0.95"), Map.of("baseline", "true"), null);
        f.registerFile("iris-clf-1.onnx", Map.of("f1", "0.90"), Map.of("baseline", "true"), null);
        f.registerFile("iris-clf-2.onnx", Map.of("f1", "0.97"), Map.of("dynamic", "true"), null);
        PromotionService promotion = f.service();

        assertThatThrownBy(() -> promotion.evaluate("iris-clf", "3", "event:e3")).isInstanceOf(Conflict.class)
                .hasMessageContaining("versions 1, 2").hasMessageContaining("'baseline' tag");
        var sync = new DriftRepair(promotion, f.pointers, f.registry, f.documents, Clock.systemUTC()).run("timer");
        assertThat(sync.path("problems").toString()).contains("all carry the 'baseline' tag");
        assertThat(promotion.baselineConflict("iris-clf")).isPresent();
        assertThat(f.ledgers.read("iris-clf")).isEmpty();

        promotion.promote("iris-clf", "1", true, "cli:ops", Optional.empty());

        assertThat(f.baselineTags()).containsOnlyKeys("1");
        assertThat(promotion.baselineConflict("iris-clf")).isEmpty();
        assertThat(promotion.evaluate("iris-clf", "3", "event:e3").orElseThrow().outcome()).isEqualTo(Outcome.PROMOTED);
    }

    @Test
    void a_version_whose_artifact_the_registry_cannot_deliver_is_rejected_even_when_this_instance_has_its_bytes()
            throws IOException {
        PromotionService promotion = f.service(GatePolicy.parse("{\"smokeTest\": false}"));
        f.register(1);
        promotion.evaluate("iris-clf", "1", "event:e1"); // this instance now holds v1's bytes in its cache
        ModelVersion copy = f.registerFile("iris-clf-1.onnx", Map.of("f1", "0.99"), Map.of("dynamic", "true"), null);
        Files.delete(dir.resolve("registry/iris-clf/" + copy.version() + "/model.onnx"));

        Decision decision = promotion.evaluate("iris-clf", copy.version(), "event:e2").orElseThrow();

        assertThat(decision.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(decision.reason()).contains("artifact (", "not found");
        assertThatThrownBy(() -> promotion.promote("iris-clf", copy.version(), true, "ops", Optional.empty()))
                .isInstanceOf(Conflict.class).hasMessageContaining("not even by force");
        assertThat(f.pointer().version()).isEqualTo("1");
    }

    @Test
    void a_version_not_listed_yet_fails_the_delivery_and_is_judged_once_it_appears() throws IOException {
        PromotionService promotion = f.service();
        f.register(1);
        promotion.evaluate("iris-clf", "1", "event:e1");

        assertThatThrownBy(() -> promotion.evaluate("iris-clf", "2", "event:e2")).isInstanceOf(Unavailable.class)
                .hasMessageContaining("not (yet) listed");
        assertThat(f.ledger().decisions()).hasSize(1);

        f.register(2);
        assertThat(promotion.evaluate("iris-clf", "2", "event:e2").orElseThrow().outcome()).isEqualTo(Outcome.PROMOTED);
    }

    @Test
    void a_run_is_judged_as_a_whole_and_only_its_best_version_is_promoted() throws IOException {
        PromotionService promotion = f.service();
        f.register(1);
        promotion.evaluate("iris-clf", "1", "event:e1");
        f.register(2, Map.of("dynamic", "true"), "run-7");                                                // f1 0.9778
        f.registerFile("iris-clf-1.onnx", Map.of("f1", "0.93"), Map.of("dynamic", "true"), "run-7"); // newer, worse

        List<Decision> decisions = promotion.evaluateRun("iris-clf", "run-7", "event:run");

        assertThat(decisions).extracting(Decision::version, Decision::outcome)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("2", Outcome.PROMOTED),
                        org.assertj.core.groups.Tuple.tuple("3", Outcome.REJECTED));
        assertThat(decisions.get(1).reason()).contains("passed, but version 2 of the same run scored higher");
        assertThat(decisions).allMatch(d -> "run-7".equals(d.runId()));
        assertThat(f.flips).hasSize(2);
        assertThat(f.ledger().history()).extracting(Ledger.Baseline::version).containsExactly("1");
        assertThat(promotion.rollback("iris-clf", Optional.empty(), "ops", Optional.empty()).toVersion()).isEqualTo("1");
        assertThat(promotion.evaluateRun("iris-clf", "run-7", "event:run-again")).isEmpty();
    }

    @Test
    void a_failed_run_is_recorded_once_with_its_run_id_and_status() throws IOException {
        PromotionService promotion = f.service();
        f.register(1);
        promotion.evaluate("iris-clf", "1", "event:e1");

        List<Decision> recorded = promotion.recordRunEnded("run-9", "Failed", "event:r9", "r9");
        List<Decision> again = promotion.recordRunEnded("run-9", "Failed", "event:r9", "r9");

        assertThat(recorded).singleElement().satisfies(d -> {
            assertThat(d.runId()).isEqualTo("run-9");
            assertThat(d.outcome()).isEqualTo(Outcome.SKIPPED);
            assertThat(d.reason()).isEqualTo("run run-9 ended Failed; nothing to judge");
        });
        assertThat(again).isEmpty();
        assertThat(promotion.decisions("iris-clf", 1).get(0).runId()).isEqualTo("run-9");
    }

    private void pushOutOfTheLedger(PromotionService promotion, Decision decision) {
        String start = f.ledger().baseline().orElseThrow().version();
        for (int i = 0; i < LedgerStore.DECISIONS_KEPT / 2 + 1; i++) {
            promotion.rollback("iris-clf", Optional.of(start.equals("1") ? "2" : "1"), "ops", Optional.empty());
            promotion.rollback("iris-clf", Optional.of(start), "ops", Optional.empty());
        }
        if (!f.ledger().isBaseline("1")) {
            promotion.rollback("iris-clf", Optional.of("1"), "ops", Optional.empty());
        }
        assertThat(f.ledger().decision(decision.id())).isEmpty();
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}

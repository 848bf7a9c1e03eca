package dev.greenlight.promotion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.greenlight.demo.DemoManifest;
import dev.greenlight.demo.DemoModels;
import dev.greenlight.errors.Conflict;
import dev.greenlight.errors.NotFound;
import dev.greenlight.gate.Gate;
import dev.greenlight.gate.GatePolicy;
import dev.greenlight.registry.LocalModelRegistry;
import dev.greenlight.registry.ModelVersion;
import dev.greenlight.serving.ModelLoader;
import dev.greenlight.store.ArtifactCache;
import dev.greenlight.store.LocalDocumentStore;
import dev.greenlight.store.PointerStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Promotion on the real local registry and store, with candidates loaded in ONNX Runtime. */
class PromotionServiceTest {
    @TempDir
    Path dir;
    LocalModelRegistry registry;
    PointerStore pointers;
    LedgerStore ledgers;
    List<String> flips = new ArrayList<>();

    PromotionService service(GatePolicy policy) {
        return new PromotionService(List.of("iris-clf"), registry, ledgers, pointers,
                new CandidateProbe(registry, new ArtifactCache(dir.resolve("cache")), new ModelLoader(1, Clock.systemUTC()), ""),
                new Gate(policy), "baseline", "dynamic", flips::add, Optional.empty(), Optional.empty(), Clock.systemUTC());
    }

    @BeforeEach
    void setUp() {
        registry = new LocalModelRegistry(dir.resolve("registry"));
        LocalDocumentStore documents = new LocalDocumentStore(dir.resolve("store"));
        pointers = new PointerStore(documents);
        ledgers = new LedgerStore(documents);
    }

    private ModelVersion register(int demoVersion) throws IOException {
        DemoManifest.Version v = DemoModels.manifest().version(demoVersion);
        Path file = dir.resolve(v.file());
        Files.write(file, DemoModels.bytes(v.file()));
        return registry.register("iris-clf", file, v.properties(), Map.of("dynamic", "true"), "run-" + demoVersion);
    }

    @Test
    void the_first_passing_version_becomes_baseline_pointer_and_tags_follow() throws IOException {
        PromotionService promotion = service(GatePolicy.defaults());
        ModelVersion v1 = register(1);

        Decision decision = promotion.evaluate("iris-clf", "1", "event:e1", "e1").orElseThrow();

        assertThat(decision.outcome()).isEqualTo(Outcome.PROMOTED);
        assertThat(pointers.read("iris-clf").orElseThrow().value().version()).isEqualTo("1");
        assertThat(pointers.read("iris-clf").orElseThrow().value().sha256()).isEqualTo(v1.sha256());
        assertThat(registry.find("iris-clf", "1").orElseThrow().tags()).containsKey("baseline").doesNotContainKey("dynamic");
        assertThat(flips).containsExactly("iris-clf");
    }

    @Test
    void a_better_candidate_flips_and_the_old_baseline_loses_its_tag_and_stays_for_rollback() throws IOException {
        PromotionService promotion = service(GatePolicy.defaults());
        register(1);
        promotion.evaluate("iris-clf", "1", "event:e1", "e1");
        register(2);

        Decision decision = promotion.evaluate("iris-clf", "2", "event:e2", "e2").orElseThrow();

        assertThat(decision.outcome()).isEqualTo(Outcome.PROMOTED);
        assertThat(decision.fromVersion()).isEqualTo("1");
        assertThat(decision.generation()).isEqualTo(2);
        assertThat(registry.find("iris-clf", "1").orElseThrow().tags()).doesNotContainKey("baseline");
        assertThat(registry.find("iris-clf", "2").orElseThrow().tags()).containsKey("baseline");
        assertThat(promotion.ledger("iris-clf").orElseThrow().history()).extracting(Ledger.Baseline::version)
                .containsExactly("1");
    }

    @Test
    void a_worse_candidate_is_rejected_with_every_failed_check_and_nothing_moves() throws IOException {
        PromotionService promotion = service(GatePolicy.defaults());
        register(1);
        promotion.evaluate("iris-clf", "1", "event:e1", "e1");
        register(3);

        Decision decision = promotion.evaluate("iris-clf", "2", "event:e3", "e3").orElseThrow();

        assertThat(decision.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(decision.reason()).contains("floor (f1=0.8086", "margin");
        assertThat(pointers.read("iris-clf").orElseThrow().value().version()).isEqualTo("1");
    }

    @Test
    void the_same_event_delivered_twice_makes_one_decision() throws IOException {
        PromotionService promotion = service(GatePolicy.defaults());
        register(1);

        Optional<Decision> first = promotion.evaluate("iris-clf", "1", "event:e1", "e1");
        Optional<Decision> again = promotion.evaluate("iris-clf", "1", "event:e1", "e1");

        assertThat(first).isPresent();
        assertThat(again).isEmpty();
        assertThat(promotion.decisions("iris-clf", 10)).hasSize(1);
    }

    @Test
    void a_duplicate_is_still_a_no_op_after_its_decision_left_the_ledger_for_the_archive() throws IOException {
        PromotionService promotion = service(GatePolicy.defaults());
        register(1);
        promotion.evaluate("iris-clf", "1", "event:first", "first");
        for (int i = 0; i < LedgerStore.DECISIONS_KEPT + 20; i++) {
            promotion.evaluate("iris-clf", "1", "event:e" + i, "e" + i); // already the baseline: skipped
        }
        assertThat(promotion.ledger("iris-clf").orElseThrow().decisions()).hasSize(LedgerStore.DECISIONS_KEPT);

        assertThat(promotion.evaluate("iris-clf", "1", "event:first", "first")).isEmpty();
        assertThat(ledgers.archived("iris-clf", PromotionService.eventDecisionId("first"))).isTrue();
    }

    @Test
    void manual_mode_leaves_a_pass_pending_until_promote_approves_it() throws IOException {
        PromotionService promotion = service(GatePolicy.parse("{\"mode\": \"manual\"}"));
        register(1);

        Decision pending = promotion.evaluate("iris-clf", "1", "event:e1", "e1").orElseThrow();
        assertThat(pending.outcome()).isEqualTo(Outcome.PENDING);
        assertThat(pointers.read("iris-clf")).isEmpty();

        Decision approved = promotion.promote("iris-clf", "1", false, "cli:ops");

        assertThat(approved.outcome()).isEqualTo(Outcome.PROMOTED);
        assertThat(approved.reason()).isEqualTo("approved");
        assertThat(pointers.read("iris-clf").orElseThrow().value().version()).isEqualTo("1");
        assertThat(promotion.ledger("iris-clf").orElseThrow().pending()).isEmpty();
    }

    @Test
    void rollback_returns_to_the_previous_baseline_and_is_recorded() throws IOException {
        PromotionService promotion = service(GatePolicy.defaults());
        register(1);
        promotion.evaluate("iris-clf", "1", "event:e1", "e1");
        register(2);
        promotion.evaluate("iris-clf", "2", "event:e2", "e2");

        Decision rollback = promotion.rollback("iris-clf", Optional.empty(), "http:admin");

        assertThat(rollback.outcome()).isEqualTo(Outcome.ROLLED_BACK);
        assertThat(rollback.toVersion()).isEqualTo("1");
        assertThat(pointers.read("iris-clf").orElseThrow().value().version()).isEqualTo("1");
        assertThat(pointers.read("iris-clf").orElseThrow().value().generation()).isEqualTo(3);
        assertThat(promotion.decisions("iris-clf", 1).get(0).id()).isEqualTo(rollback.id());
    }

    @Test
    void promote_or_rollback_to_a_version_that_does_not_exist_is_not_found() throws IOException {
        PromotionService promotion = service(GatePolicy.defaults());
        register(1);
        promotion.evaluate("iris-clf", "1", "event:e1", "e1");

        assertThatThrownBy(() -> promotion.promote("iris-clf", "9", false, "cli:ops")).isInstanceOf(NotFound.class);
        assertThatThrownBy(() -> promotion.rollback("iris-clf", Optional.of("9"), "cli:ops")).isInstanceOf(NotFound.class);
        assertThatThrownBy(() -> promotion.rollback("iris-clf", Optional.empty(), "cli:ops")).isInstanceOf(Conflict.class);
    }

    @Test
    void concurrent_candidates_leave_exactly_one_baseline_and_the_loser_is_rejudged() throws Exception {
        PromotionService promotion = service(GatePolicy.defaults());
        register(1);
        promotion.evaluate("iris-clf", "1", "event:e1", "e1");
        register(2);
        register(2); // version 3: the same artifact and metrics as 2

        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Optional<Decision>> a = pool.submit(() -> promotion.evaluate("iris-clf", "2", "event:a", "a"));
            Future<Optional<Decision>> b = pool.submit(() -> promotion.evaluate("iris-clf", "3", "event:b", "b"));
            List<Outcome> outcomes = List.of(a.get().orElseThrow().outcome(), b.get().orElseThrow().outcome());

            // Equal F1: whichever committed second was judged against the first and did not beat it.
            assertThat(outcomes).containsExactlyInAnyOrder(Outcome.PROMOTED, Outcome.REJECTED);
        } finally {
            pool.shutdownNow();
        }
        long tagged = registry.versions("iris-clf").stream().filter(v -> v.tags().containsKey("baseline")).count();
        assertThat(tagged).isEqualTo(1);
        assertThat(pointers.read("iris-clf").orElseThrow().value().generation()).isEqualTo(2);
    }
}

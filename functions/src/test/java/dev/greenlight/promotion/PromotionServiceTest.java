package dev.greenlight.promotion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.greenlight.errors.BadRequest;
import dev.greenlight.errors.Conflict;
import dev.greenlight.errors.NotFound;
import dev.greenlight.gate.GatePolicy;
import dev.greenlight.registry.ModelVersion;
import java.io.IOException;
import java.nio.file.Path;
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
    PromotionFixture f;

    @BeforeEach
    void setUp() {
        f = new PromotionFixture(dir);
    }

    @Test
    void the_first_passing_version_becomes_baseline_pointer_and_tags_follow() throws IOException {
        PromotionService promotion = f.service();
        ModelVersion v1 = f.register(1);

        Decision decision = promotion.evaluate("iris-clf", "1", "event:e1").orElseThrow();

        assertThat(decision.outcome()).isEqualTo(Outcome.PROMOTED);
        assertThat(f.pointer().version()).isEqualTo("1");
        assertThat(f.pointer().sha256()).isEqualTo(v1.sha256());
        assertThat(f.version("1").tags()).containsEntry("baseline", "1").doesNotContainKey("dynamic");
        assertThat(f.flips).containsExactly("iris-clf");
    }

    @Test
    void a_better_candidate_flips_and_the_old_baseline_loses_its_tag_and_stays_for_rollback() throws IOException {
        PromotionService promotion = f.service();
        f.register(1);
        promotion.evaluate("iris-clf", "1", "event:e1");
        f.register(2);

        Decision decision = promotion.evaluate("iris-clf", "2", "event:e2").orElseThrow();

        assertThat(decision.outcome()).isEqualTo(Outcome.PROMOTED);
        assertThat(decision.fromVersion()).isEqualTo("1");
        assertThat(decision.generation()).isEqualTo(2);
        assertThat(f.baselineTags()).containsExactly(Map.entry("2", "2"));
        assertThat(f.ledger().history()).extracting(Ledger.Baseline::version).containsExactly("1");
    }

    @Test
    void a_worse_candidate_is_rejected_with_every_failed_check_and_loses_its_candidate_tag() throws IOException {
        PromotionService promotion = f.service();
        f.register(1);
        promotion.evaluate("iris-clf", "1", "event:e1");
        f.register(3);

        Decision decision = promotion.evaluate("iris-clf", "2", "event:e3").orElseThrow();

        assertThat(decision.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(decision.reason()).contains("floor (f1=0.8086", "margin");
        assertThat(decision.toVersion()).isEqualTo("1");
        assertThat(f.pointer().version()).isEqualTo("1");
        assertThat(f.version("2").tags()).doesNotContainKey("dynamic");
    }

    @Test
    void the_same_registration_is_judged_once_whatever_event_or_sync_asks_again() throws IOException {
        PromotionService promotion = f.service();
        f.register(1);

        Optional<Decision> first = promotion.evaluate("iris-clf", "1", "event:e1");
        Optional<Decision> again = promotion.evaluate("iris-clf", "1", "event:e1");
        Optional<Decision> otherEvent = promotion.evaluate("iris-clf", "1", "event:e2");
        Optional<Decision> sync = promotion.evaluate("iris-clf", "1", "sync:timer");

        assertThat(first).isPresent();
        assertThat(again).isEmpty();
        assertThat(otherEvent).isEmpty();
        assertThat(sync).isEmpty();
        assertThat(promotion.decisions("iris-clf", 10)).hasSize(1);
    }

    @Test
    void a_judged_registration_stays_judged_after_its_decision_left_the_ledger_for_the_archive() throws IOException {
        PromotionService promotion = f.service();
        f.register(1);
        f.register(2);
        Decision judged = promotion.evaluate("iris-clf", "1", "event:first").orElseThrow();
        for (int i = 0; i < LedgerStore.DECISIONS_KEPT / 2 + 1; i++) { // flips that judge nothing push it out
            promotion.rollback("iris-clf", Optional.of("2"), "ops", Optional.empty());
            promotion.rollback("iris-clf", Optional.of("1"), "ops", Optional.empty());
        }
        assertThat(f.ledger().decision(judged.id())).isEmpty();
        assertThat(f.ledgers.archived("iris-clf", judged.id())).isTrue();

        assertThat(promotion.evaluate("iris-clf", "1", "event:late-redelivery")).isEmpty();
        assertThat(promotion.judged(f.version("1"))).isTrue();
        assertThat(promotion.judged(f.version("2"))).isFalse();
    }

    @Test
    void manual_mode_leaves_a_pass_pending_until_promote_approves_it() throws IOException {
        PromotionService promotion = f.service(GatePolicy.parse("{\"mode\": \"manual\"}"));
        f.register(1);

        Decision pending = promotion.evaluate("iris-clf", "1", "event:e1").orElseThrow();
        assertThat(pending.outcome()).isEqualTo(Outcome.PENDING);
        assertThat(f.pointers.read("iris-clf")).isEmpty();

        Decision approved = promotion.promote("iris-clf", "1", false, "cli:ops", Optional.empty());

        assertThat(approved.outcome()).isEqualTo(Outcome.PROMOTED);
        assertThat(approved.reason()).isEqualTo("approved");
        assertThat(approved.forced()).isFalse();
        assertThat(f.pointer().version()).isEqualTo("1");
        assertThat(f.ledger().pending()).isEmpty();
    }

    @Test
    void a_forced_promotion_says_forced_and_who_asked() throws IOException {
        PromotionService promotion = f.service();
        f.register(1);
        promotion.evaluate("iris-clf", "1", "event:e1");
        f.register(3);

        assertThatThrownBy(() -> promotion.promote("iris-clf", "2", false, "http:cli:ana@box", Optional.empty()))
                .isInstanceOf(Conflict.class).hasMessageContaining("floor");
        Decision forced = promotion.promote("iris-clf", "2", true, "http:cli:ana@box", Optional.empty());

        assertThat(forced.outcome()).isEqualTo(Outcome.PROMOTED);
        assertThat(forced.forced()).isTrue();
        assertThat(forced.actor()).isEqualTo("http:cli:ana@box");
        assertThat(forced.reason()).startsWith("forced by http:cli:ana@box despite: failed floor");
    }

    @Test
    void rollback_returns_to_the_previous_baseline_and_is_recorded() throws IOException {
        PromotionService promotion = f.service();
        f.register(1);
        promotion.evaluate("iris-clf", "1", "event:e1");
        f.register(2);
        promotion.evaluate("iris-clf", "2", "event:e2");

        Decision rollback = promotion.rollback("iris-clf", Optional.empty(), "http:admin", Optional.empty());

        assertThat(rollback.outcome()).isEqualTo(Outcome.ROLLED_BACK);
        assertThat(rollback.toVersion()).isEqualTo("1");
        assertThat(f.pointer().version()).isEqualTo("1");
        assertThat(f.pointer().generation()).isEqualTo(3);
        assertThat(f.baselineTags()).containsExactly(Map.entry("1", "3"));
        assertThat(promotion.decisions("iris-clf", 1).get(0).id()).isEqualTo(rollback.id());
    }

    @Test
    void promote_or_rollback_to_a_version_that_does_not_exist_is_not_found() throws IOException {
        PromotionService promotion = f.service();
        f.register(1);
        promotion.evaluate("iris-clf", "1", "event:e1");

        assertThatThrownBy(() -> promotion.promote("iris-clf", "9", false, "cli:ops", Optional.empty()))
                .isInstanceOf(NotFound.class);
        assertThatThrownBy(() -> promotion.rollback("iris-clf", Optional.of("9"), "cli:ops", Optional.empty()))
                .isInstanceOf(NotFound.class);
        assertThatThrownBy(() -> promotion.rollback("iris-clf", Optional.empty(), "cli:ops", Optional.empty()))
                .isInstanceOf(Conflict.class);
    }

    @Test
    void invalid_versions_and_request_ids_are_refused_before_anything_is_written() throws IOException {
        PromotionService promotion = f.service();
        f.register(1);

        assertThatThrownBy(() -> promotion.evaluate("iris-clf", "../../x", "event:e"))
                .isInstanceOf(BadRequest.class).hasMessageContaining("'../../x'");
        assertThatThrownBy(() -> promotion.promote("iris-clf", "1", false, "ops", Optional.of("a b")))
                .isInstanceOf(BadRequest.class);
        assertThat(f.ledgers.read("iris-clf")).isEmpty();
    }

    @Test
    void concurrent_candidates_leave_exactly_one_baseline_and_the_loser_is_rejudged() throws Exception {
        PromotionService promotion = f.service();
        f.register(1);
        promotion.evaluate("iris-clf", "1", "event:e1");
        f.register(2);
        f.register(2); // version 3: the same artifact and metrics as 2

        // Both writers read the same ledger before either writes: one of them must lose the race.
        java.util.concurrent.CyclicBarrier bothRead = new java.util.concurrent.CyclicBarrier(2);
        java.util.concurrent.atomic.AtomicInteger ledgerWrites = new java.util.concurrent.atomic.AtomicInteger();
        f.documents.beforeWrite(name -> {
            if (name.startsWith("ledgers/") && ledgerWrites.incrementAndGet() <= 2) {
                try {
                    bothRead.await(30, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Optional<Decision>> a = pool.submit(() -> promotion.evaluate("iris-clf", "2", "event:a"));
            Future<Optional<Decision>> b = pool.submit(() -> promotion.evaluate("iris-clf", "3", "event:b"));
            List<Outcome> outcomes = List.of(a.get().orElseThrow().outcome(), b.get().orElseThrow().outcome());

            // Equal F1: whichever committed second was judged against the first and did not beat it.
            assertThat(outcomes).containsExactlyInAnyOrder(Outcome.PROMOTED, Outcome.REJECTED);
        } finally {
            pool.shutdownNow();
        }
        assertThat(f.documents.lostRaces.get()).isGreaterThanOrEqualTo(1);
        assertThat(f.baselineTags()).hasSize(1);
        assertThat(f.pointer().generation()).isEqualTo(2);
    }
}

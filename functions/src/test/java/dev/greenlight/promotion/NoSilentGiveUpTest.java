package dev.greenlight.promotion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.greenlight.errors.Unavailable;
import dev.greenlight.fanout.RefreshOutcome;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every bounded retry that runs out says so with a specific error, or leaves a repair the sync check makes. */
class NoSilentGiveUpTest {
    @TempDir
    Path dir;
    PromotionFixture f;

    @BeforeEach
    void setUp() {
        f = new PromotionFixture(dir);
    }

    @Test
    void a_ledger_that_keeps_changing_fails_the_decision_with_ledger_contended() throws IOException {
        PromotionService promotion = f.service();
        f.register(1);
        f.documents.conflictWrites((name, n) -> name.startsWith("ledgers/"));

        assertThatThrownBy(() -> promotion.evaluate("iris-clf", "1", "event:e1"))
                .isInstanceOfSatisfying(Unavailable.class, e -> assertThat(e.code()).isEqualTo("ledger_contended"))
                .hasMessageContaining(LedgerStore.MAX_ATTEMPTS + " attempts");
        assertThat(f.ledgers.read("iris-clf")).isEmpty();
    }

    @Test
    void a_pointer_that_keeps_changing_fails_the_flip_loudly_and_the_next_sync_publishes_it() throws IOException {
        PromotionService promotion = f.service();
        f.register(1);
        promotion.evaluate("iris-clf", "1", "event:e1");
        f.register(2);
        f.documents.conflictWrites((name, n) -> name.startsWith("pointers/"));

        assertThatThrownBy(() -> promotion.evaluate("iris-clf", "2", "event:e2"))
                .isInstanceOfSatisfying(Unavailable.class, e -> assertThat(e.code()).isEqualTo("pointer_contended"));
        assertThat(f.pointer().generation()).isEqualTo(1);

        f.documents.heal();
        var sync = new DriftRepair(promotion, f.pointers, f.registry, f.documents, Clock.systemUTC()).run("timer");

        assertThat(sync.path("drift").toString()).contains("pointer was behind the ledger (generation 1 < 2)");
        assertThat(f.pointer().version()).isEqualTo("2");
    }

    @Test
    void refresh_outcomes_that_cannot_be_recorded_fail_with_ledger_contended() throws IOException {
        PromotionService promotion = f.service();
        f.register(1);
        Decision flip = promotion.evaluate("iris-clf", "1", "event:e1").orElseThrow();
        f.documents.conflictWrites((name, n) -> name.startsWith("ledgers/"));

        assertThatThrownBy(() -> promotion.effects().mergeRefresh("iris-clf", flip.id(),
                List.of(new RefreshOutcome("http://t", 200, 1, 5, true, null))))
                .isInstanceOfSatisfying(Unavailable.class, e -> assertThat(e.code()).isEqualTo("ledger_contended"));
        assertThat(f.ledger().decision(flip.id()).orElseThrow().refresh()).isEmpty();
    }

    @Test
    void a_rollback_that_cannot_commit_moves_nothing() throws IOException {
        PromotionService promotion = f.service();
        f.register(1);
        promotion.evaluate("iris-clf", "1", "event:e1");
        f.register(2);
        promotion.evaluate("iris-clf", "2", "event:e2");
        f.documents.conflictWrites((name, n) -> name.startsWith("ledgers/"));

        assertThatThrownBy(() -> promotion.rollback("iris-clf", Optional.empty(), "ops", Optional.empty()))
                .isInstanceOf(Unavailable.class);
        assertThat(f.pointer().version()).isEqualTo("2");
        assertThat(f.ledger().baseline().orElseThrow().version()).isEqualTo("2");
    }
}

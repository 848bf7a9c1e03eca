package dev.greenlight.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OutageLogTest {
    private static final String LOGGER = "dev.greenlight.store.OutageLogTest";
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-03T10:00:00Z"));
    private final LogCapture log = LogCapture.of(LOGGER);
    private final OutageLog outages = new OutageLog(Logger.getLogger(LOGGER), "the store /data/store", clock);

    @AfterEach
    void close() {
        log.close();
    }

    @Test
    void logs_the_first_failure_of_an_outage_and_counts_the_rest() {
        for (int i = 0; i < 1000; i++) {
            outages.failed("cannot read ledgers/iris-clf.json: Connection refused");
        }

        assertThat(log.messages(Level.ALL)).containsExactly("the store /data/store is unavailable: cannot read "
                + "ledgers/iris-clf.json: Connection refused (later failures are counted and reported when it recovers)");
        assertThat(outages.down()).isTrue();
    }

    @Test
    void logs_the_recovery_once_with_the_count_and_the_length_of_the_outage() {
        outages.failed("timed out");
        clock.advance(Duration.ofSeconds(42));
        outages.failed("timed out");
        outages.failed("timed out");

        outages.succeeded();
        outages.succeeded();

        assertThat(log.messages(Level.ALL)).hasSize(2).last()
                .isEqualTo("the store /data/store recovered after 3 failed calls in 42.0 s");
        assertThat(outages.down()).isFalse();
    }

    @Test
    void says_nothing_while_the_dependency_is_up() {
        outages.succeeded();

        assertThat(log.messages(Level.ALL)).isEmpty();
    }

    @Test
    void a_new_outage_after_a_recovery_is_logged_again() {
        outages.failed("first");
        outages.succeeded();
        outages.failed("second");

        assertThat(log.messages(Level.WARNING)).hasSize(2).last().asString().contains("second");
    }

    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}

package dev.greenlight.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * Logs an outage of a dependency as two lines: one when the first call fails, one when a call
 * succeeds again, with how many calls failed and for how long. In between, failures are only
 * counted: a store that is down is met by every poll, request and delivery, and a line (let alone
 * a stack trace) per call buries the one line that matters. The failing call still throws; its
 * caller answers 503 or fails the delivery.
 */
public final class OutageLog {
    private final Logger logger;
    private final String dependency;
    private final Clock clock;
    private final AtomicReference<Outage> current = new AtomicReference<>();

    private record Outage(Instant since, long failures) {
        Outage plusOne() {
            return new Outage(since, failures + 1);
        }
    }

    /**
     * @param dependency what is down, as the log line names it, e.g. {@code the store devstoreaccount1/greenlight}
     */
    public OutageLog(Logger logger, String dependency, Clock clock) {
        this.logger = Objects.requireNonNull(logger, "logger");
        this.dependency = Objects.requireNonNull(dependency, "dependency");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A call failed because the dependency is down; logs only the first failure of an outage. */
    public void failed(String why) {
        Outage first = new Outage(clock.instant(), 1);
        Outage before = current.getAndUpdate(o -> o == null ? first : o.plusOne());
        if (before == null) {
            logger.warning(dependency + " is unavailable: " + why
                    + " (later failures are counted and reported when it recovers)");
        }
    }

    /** A call succeeded; ends the outage, if there was one, with its count and length. */
    public void succeeded() {
        if (current.get() == null) {
            return; // the usual case: one volatile read
        }
        Outage ended = current.getAndSet(null);
        if (ended != null) {
            Duration length = Duration.between(ended.since(), clock.instant());
            logger.info(dependency + " recovered after " + ended.failures() + " failed call"
                    + (ended.failures() == 1 ? "" : "s") + " in " + seconds(length));
        }
    }

    /** Whether an outage is going on (for status pages and tests). */
    public boolean down() {
        return current.get() != null;
    }

    private static String seconds(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}

package dev.greenlight.local.host;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects what a java.util.logging logger receives. The test app's functions log through
 * their ExecutionContext logger ({@code Function.<name>}), which is how the tests see them run.
 */
final class LogCapture implements AutoCloseable {

    private final Logger logger;
    private final LinkedBlockingQueue<LogRecord> records = new LinkedBlockingQueue<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private LogCapture(String loggerName) {
        this.logger = Logger.getLogger(loggerName); // held: JUL keeps loggers only weakly
        logger.addHandler(handler);
    }

    static LogCapture of(String loggerName) {
        return new LogCapture(loggerName);
    }

    /** Messages received so far, and forgets them. */
    List<String> drain() {
        List<LogRecord> out = new ArrayList<>();
        records.drainTo(out);
        return out.stream().map(LogRecord::getMessage).toList();
    }

    /** Waits for a message matching {@code p}; fails after {@code timeout}. */
    LogRecord await(Predicate<String> p, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            LogRecord r = records.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
            if (r == null) {
                throw new AssertionError("no log message matching the expectation on " + logger.getName()
                        + " within " + timeout);
            }
            if (r.getMessage() != null && p.test(r.getMessage())) {
                return r;
            }
        }
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
    }
}

package dev.greenlight.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Collects every record a java.util.logging logger (and the loggers below it) receives. */
public final class LogCapture implements AutoCloseable {
    private final Logger logger;
    private final Level previous;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
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
        this.previous = logger.getLevel();
        logger.setLevel(Level.ALL);
        handler.setLevel(Level.ALL);
        logger.addHandler(handler);
    }

    /** Captures {@code loggerName} and its children; {@code ""} is the root logger, so everything. */
    public static LogCapture of(String loggerName) {
        return new LogCapture(loggerName);
    }

    /** Every record so far at {@code level} or above. */
    public List<LogRecord> atLeast(Level level) {
        List<LogRecord> out = new ArrayList<>();
        for (LogRecord r : records) {
            if (r.getLevel().intValue() >= level.intValue()) {
                out.add(r);
            }
        }
        return out;
    }

    /** The messages of {@link #atLeast}. */
    public List<String> messages(Level level) {
        return atLeast(level).stream().map(LogRecord::getMessage).toList();
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
        logger.setLevel(previous);
    }
}

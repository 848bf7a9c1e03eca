package dev.greenlight.local.host;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One line per request, {@code METHOD path status durationMicros function}, written by a
 * background thread so that request threads only enqueue. No query string (it may carry a key),
 * no headers, no bodies. When the queue is full a line is dropped rather than slowing a request;
 * the number dropped is reported with the next line written.
 */
final class AccessLog implements AutoCloseable {

    private record Entry(String method, String path, int status, long micros, String function) {
        String line() {
            return method + " " + path + " " + status + " " + micros + " " + function;
        }
    }

    private static final Entry STOP = new Entry("", "", 0, 0, "");

    private final BlockingQueue<Entry> queue = new ArrayBlockingQueue<>(8192);
    private final AtomicLong dropped = new AtomicLong();
    private final Consumer<String> sink;
    private final Thread writer;

    /** @param sink receives each line on the writer thread (for example System.out::println) */
    AccessLog(Consumer<String> sink) {
        this.sink = sink;
        this.writer = new Thread(this::drain, "greenlight-access-log");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /** Records one request; never blocks. */
    void record(String method, String path, int status, long micros, String function) {
        if (!queue.offer(new Entry(method, path, status, micros, function == null ? "-" : function))) {
            dropped.incrementAndGet();
        }
    }

    private void drain() {
        List<Entry> batch = new ArrayList<>(256);
        try {
            while (true) {
                batch.add(queue.take());
                queue.drainTo(batch, 255);
                for (Entry e : batch) {
                    if (e == STOP) {
                        return;
                    }
                    long lost = dropped.getAndSet(0);
                    if (lost > 0) {
                        sink.accept("(access log dropped " + lost + " lines)");
                    }
                    sink.accept(e.line());
                }
                batch.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Writes what is queued, then stops the writer. */
    @Override
    public void close() {
        try {
            queue.put(STOP);
            writer.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package dev.greenlight.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.function.IntFunction;

/**
 * Closed-loop load: {@code clients} threads, each calling as fast as its previous call returns.
 * Time is cut into numbered phases ({@link #phase(int)}); before the first phase the calls are
 * warm-up and not recorded. A call belongs to the phase in which it started. Each thread records
 * into its own structures, merged only when asked ({@link #combine}), so measuring costs no
 * shared writes.
 */
final class Load {

    /** One request; returns the version that answered (or null), throws when the request failed. */
    interface Call extends AutoCloseable {
        String call() throws Exception;

        @Override
        default void close() {
        }
    }

    /** Sees every successful call as it completes (for P2's flip detection); must be cheap and thread-safe. */
    interface Listener {
        Listener NONE = (start, end, version) -> { };

        void answered(long startNanos, long endNanos, String version);
    }

    /** What one or more phases measured. */
    record Phase(long requests, long failures, double seconds, LatencyRecorder.Summary latency,
                 Map<String, Long> versions) {
        double throughput() {
            return seconds == 0 ? 0 : requests / seconds;
        }
    }

    private static final int MAX_SAMPLE_ERRORS = 5;

    private final int phases;
    private final Listener listener;
    private final List<Worker> workers = new ArrayList<>();
    private final long[] phaseStart;
    private final long[] phaseEnd;
    private final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
    private volatile int phase = -1;
    private volatile boolean running = true;

    private Load(int phases, Listener listener) {
        this.phases = phases;
        this.listener = listener;
        this.phaseStart = new long[phases];
        this.phaseEnd = new long[phases];
    }

    /**
     * Starts {@code clients} threads; each builds its own {@link Call} with {@code calls} (on its own
     * thread, so connections belong to it) and returns once every client has built its call.
     * {@code phases} is how many phases may be recorded (0: warm-up only).
     */
    static Load start(int clients, int phases, IntFunction<Call> calls, Listener listener) {
        Load load = new Load(phases, listener);
        CountDownLatch ready = new CountDownLatch(clients);
        for (int i = 0; i < clients; i++) {
            Worker worker = load.new Worker(i, calls, ready);
            load.workers.add(worker);
            worker.thread.start();
        }
        try {
            ready.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return load;
    }

    int phases() {
        return phases;
    }

    /** Ends the current phase and starts recording into phase {@code index}; phases come in increasing order. */
    void phase(int index) {
        long now = System.nanoTime();
        if (phase >= 0) {
            phaseEnd[phase] = now;
        }
        phaseStart[index] = now;
        phase = index;
    }

    /** Stops every client; afterwards {@link #combine} may be asked. */
    void stop() {
        long stoppedAt = System.nanoTime();
        if (phase >= 0) {
            phaseEnd[phase] = stoppedAt;
        }
        running = false;
        for (Worker w : workers) {
            try {
                w.thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The numbers of the given phases together (after {@link #stop()}). */
    Phase combine(Collection<Integer> selected) {
        List<LatencyRecorder> recorders = new ArrayList<>();
        Map<String, Long> versions = new TreeMap<>();
        long failures = 0;
        double seconds = 0;
        for (int p : selected) {
            for (Worker w : workers) {
                recorders.add(w.latencies[p]);
                w.versions.get(p).forEach((v, n) -> versions.merge(v, n, Long::sum));
                failures += w.failures[p];
            }
            if (phaseStart[p] != 0) {
                seconds += (phaseEnd[p] - phaseStart[p]) / 1e9;
            }
        }
        LatencyRecorder merged = LatencyRecorder.merge(recorders);
        return new Phase(merged.count(), failures, seconds, merged.summary(), versions);
    }

    /** The first few failures seen in any phase, for the report. */
    List<String> sampleErrors() {
        return List.copyOf(errors);
    }

    private final class Worker implements Runnable {
        final Thread thread;
        final IntFunction<Call> calls;
        final int index;
        final CountDownLatch ready;
        final LatencyRecorder[] latencies = new LatencyRecorder[phases];
        final long[] failures = new long[phases];
        final List<Map<String, Long>> versions = new ArrayList<>();

        Worker(int index, IntFunction<Call> calls, CountDownLatch ready) {
            this.index = index;
            this.calls = calls;
            this.ready = ready;
            for (int p = 0; p < phases; p++) {
                latencies[p] = new LatencyRecorder();
                versions.add(new TreeMap<>());
            }
            this.thread = new Thread(this, "load-client-" + index);
            this.thread.setDaemon(true);
        }

        @Override
        public void run() {
            Call call;
            try {
                call = calls.apply(index);
            } finally {
                ready.countDown();
            }
            try (call) {
                while (running) {
                    int p = phase;
                    long start = System.nanoTime();
                    try {
                        String version = call.call();
                        long end = System.nanoTime();
                        listener.answered(start, end, version);
                        if (p >= 0) {
                            latencies[p].record(end - start);
                            if (version != null) {
                                versions.get(p).merge(version, 1L, Long::sum);
                            }
                        }
                    } catch (Exception e) {
                        if (p >= 0) {
                            failures[p]++;
                            if (errors.size() < MAX_SAMPLE_ERRORS) {
                                errors.add(e.getClass().getSimpleName() + ": " + e.getMessage());
                            }
                        }
                        pause();
                    }
                }
            }
        }

        private void pause() {
            try {
                Thread.sleep(1); // a refusing server would otherwise be hammered in a tight loop
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

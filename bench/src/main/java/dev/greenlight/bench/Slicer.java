package dev.greenlight.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a running {@link Load} into one-second phases and watches the CPU use of each, so that a
 * result can be made of the seconds in which no other process took CPU from the benchmark. On a
 * shared 2-core machine, a neighbour's build in one second otherwise puts tens of milliseconds
 * into p99 and halves throughput.
 */
final class Slicer {
    static final Duration SLICE = Duration.ofSeconds(1);

    /** The phases used, which of them were clean, and the CPU use over the clean ones. */
    record Slices(List<Integer> all, List<Integer> clean, CpuMonitor.Use cleanCpu, CpuMonitor.Use allCpu) {
        int rejected() {
            return all.size() - clean.size();
        }
    }

    private final Load load;
    private final long hostPid;
    private final int first;
    private final int last;
    private final List<Integer> all = new ArrayList<>();
    private final List<Integer> clean = new ArrayList<>();
    private final List<CpuMonitor.Use> cleanUse = new ArrayList<>();
    private final List<CpuMonitor.Use> allUse = new ArrayList<>();
    private final Thread thread;
    private volatile boolean stopping;

    /** Slices into phases {@code first} .. {@code last}, at most. */
    private Slicer(Load load, long hostPid, int first, int last) {
        this.load = load;
        this.hostPid = hostPid;
        this.first = first;
        this.last = last;
        this.thread = new Thread(this::run, "bench-slicer");
        this.thread.setDaemon(true);
    }

    /** Starts slicing into phases {@code firstPhase} .. {@code lastPhase}; the last one records until the load stops. */
    static Slicer start(Load load, long hostPid, int firstPhase, int lastPhase) {
        Slicer slicer = new Slicer(load, hostPid, firstPhase, lastPhase);
        slicer.thread.start();
        return slicer;
    }

    /**
     * Slices until {@code seconds} clean slices were recorded or phases {@code firstPhase} ..
     * {@code lastPhase} are used up, then returns what was sliced (the load keeps running).
     */
    static Slices collect(Load load, long hostPid, int firstPhase, int lastPhase, int seconds) {
        Slicer slicer = start(load, hostPid, firstPhase, lastPhase);
        synchronized (slicer) {
            while (slicer.clean.size() < seconds && slicer.thread.isAlive()) {
                try {
                    slicer.wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        return slicer.stop();
    }

    /** Ends the current slice early and returns every slice; the current one counts as a slice. */
    Slices stop() {
        stopping = true;
        thread.interrupt();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            return new Slices(List.copyOf(all), List.copyOf(clean), average(cleanUse), average(allUse));
        }
    }

    private void run() {
        for (int p = first; p <= last && !stopping; p++) {
            load.phase(p);
            CpuMonitor monitor = CpuMonitor.start(hostPid);
            try {
                Thread.sleep(SLICE.toMillis());
            } catch (InterruptedException e) {
                // stop() ends this slice early; it still counts
            }
            CpuMonitor.Use use = monitor.stop();
            synchronized (this) {
                all.add(p);
                allUse.add(use);
                if (!use.contended()) {
                    clean.add(p);
                    cleanUse.add(use);
                }
                notifyAll();
            }
        }
    }

    private static CpuMonitor.Use average(List<CpuMonitor.Use> uses) {
        if (uses.isEmpty()) {
            return new CpuMonitor.Use(-1, -1, -1, -1);
        }
        return new CpuMonitor.Use(uses.stream().mapToDouble(CpuMonitor.Use::machine).average().orElse(0),
                uses.stream().mapToDouble(CpuMonitor.Use::bench).average().orElse(0),
                uses.stream().mapToDouble(CpuMonitor.Use::host).average().orElse(0),
                uses.stream().mapToDouble(CpuMonitor.Use::others).average().orElse(0));
    }
}

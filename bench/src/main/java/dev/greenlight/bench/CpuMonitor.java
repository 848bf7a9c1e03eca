package dev.greenlight.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * How busy the machine was during a measurement, from {@code /proc}: all CPUs, this benchmark's
 * process, the host process, and everything else. A benchmark on a shared machine is only worth
 * its numbers when "others" stayed near zero, so every cell reports it.
 */
final class CpuMonitor {
    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux
    /** Cores used by other processes above which a measurement is left out, repeated or flagged. */
    static final double CONTENDED = 0.2;
    /** How often a contended measurement is tried again before it is kept anyway (flagged). */
    static final int ATTEMPTS = 3;

    /** Average cores busy over the interval; all -1 where /proc is not readable. */
    record Use(double machine, double bench, double host, double others) {
        /** Other processes took enough CPU to distort a measurement on a 2-core machine. */
        boolean contended() {
            return others > CONTENDED;
        }

        String describe() {
            return machine < 0 ? "cpu use unknown" : String.format(java.util.Locale.ROOT,
                    "cores busy: bench %.2f, host %.2f, others %.2f", bench, host, others);
        }
    }

    private final long hostPid;
    private final long startNanos;
    private final long machineStart;
    private final long benchStart;
    private final long hostStart;

    private CpuMonitor(long hostPid) {
        this.hostPid = hostPid;
        this.startNanos = System.nanoTime();
        this.machineStart = machineBusyTicks();
        this.benchStart = processTicks(ProcessHandle.current().pid());
        this.hostStart = hostPid < 0 ? 0 : processTicks(hostPid);
    }

    /** Starts watching; {@code hostPid} -1 when no host runs. */
    static CpuMonitor start(long hostPid) {
        return new CpuMonitor(hostPid);
    }

    Use stop() {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        long machine = machineBusyTicks();
        long bench = processTicks(ProcessHandle.current().pid());
        long host = hostPid < 0 ? 0 : processTicks(hostPid);
        if (machine < 0 || bench < 0 || host < 0 || machineStart < 0 || benchStart < 0 || hostStart < 0) {
            return new Use(-1, -1, -1, -1);
        }
        double m = (machine - machineStart) / TICKS_PER_SECOND / seconds;
        double b = (bench - benchStart) / TICKS_PER_SECOND / seconds;
        double h = (host - hostStart) / TICKS_PER_SECOND / seconds;
        return new Use(m, b, h, Math.max(0, m - b - h));
    }

    /** Cores busy with anything over {@code seconds}, sampled now. */
    static double machineLoad(double seconds) {
        long before = machineBusyTicks();
        long t0 = System.nanoTime();
        ChildHost.sleep(java.time.Duration.ofMillis((long) (seconds * 1000)));
        long after = machineBusyTicks();
        return before < 0 || after < 0 ? -1 : (after - before) / TICKS_PER_SECOND / ((System.nanoTime() - t0) / 1e9);
    }

    /**
     * Waits (at most {@code maxSeconds}) until other processes use less than {@code threshold}
     * cores, so a benchmark does not start in the middle of someone's build; says so when it waits.
     */
    static void awaitQuiet(double threshold, int maxSeconds) {
        long deadline = System.nanoTime() + maxSeconds * 1_000_000_000L;
        double load = machineLoad(1);
        if (load >= 0 && load > threshold) {
            System.out.printf("  the machine is busy (%.2f cores in use by other processes); waiting up to %d s"
                    + " for it to quiet down ...%n", load, maxSeconds);
            while (load > threshold && System.nanoTime() < deadline) {
                load = machineLoad(1);
            }
            System.out.printf("  %s (%.2f cores busy)%n", load > threshold ? "still busy, measuring anyway" : "quiet",
                    load);
        }
    }

    /** user + nice + system + irq + softirq + steal of all CPUs, in ticks; -1 when unreadable. */
    private static long machineBusyTicks() {
        try {
            String cpu = Files.readAllLines(Path.of("/proc/stat")).get(0);
            long[] f = Arrays.stream(cpu.trim().split("\\s+")).skip(1).mapToLong(Long::parseLong).toArray();
            return f[0] + f[1] + f[2] + f[5] + f[6] + (f.length > 7 ? f[7] : 0);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** utime + stime of a process (all its threads), in ticks; -1 when unreadable. */
    private static long processTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // The command name may contain spaces; fields are counted after its closing parenthesis.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}

package dev.greenlight.bench;

import java.util.Arrays;
import java.util.Collection;

/**
 * Latencies in nanoseconds, kept exactly (a growing {@code long[]}) and sorted once for
 * percentiles. One recorder per thread and phase; {@link #merge} combines them afterwards. A
 * 10 s cell at 20k requests per second is 200k longs (1.6 MB), so exact is affordable.
 */
final class LatencyRecorder {
    private long[] values = new long[256];
    private int count;

    void record(long nanos) {
        if (count == values.length) {
            values = Arrays.copyOf(values, values.length * 2);
        }
        values[count++] = nanos;
    }

    int count() {
        return count;
    }

    static LatencyRecorder merge(Collection<LatencyRecorder> parts) {
        LatencyRecorder all = new LatencyRecorder();
        int total = parts.stream().mapToInt(LatencyRecorder::count).sum();
        all.values = new long[Math.max(total, 1)];
        for (LatencyRecorder part : parts) {
            System.arraycopy(part.values, 0, all.values, all.count, part.count);
            all.count += part.count;
        }
        return all;
    }

    /** Percentiles by nearest rank; all zero when nothing was recorded. */
    Summary summary() {
        long[] sorted = Arrays.copyOf(values, count);
        Arrays.sort(sorted);
        double mean = count == 0 ? 0 : Arrays.stream(sorted).average().orElse(0);
        return new Summary(count, micros(rank(sorted, 50)), micros(rank(sorted, 90)), micros(rank(sorted, 99)),
                micros(rank(sorted, 99.9)), micros(count == 0 ? 0 : sorted[count - 1]), mean / 1000.0);
    }

    /** The nearest-rank percentile: the smallest value with at least {@code p}% of values at or below it. */
    static long rank(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.min(Math.max(index, 0), sorted.length - 1)];
    }

    private static double micros(long nanos) {
        return nanos / 1000.0;
    }

    /** A latency distribution in microseconds. */
    record Summary(long count, double p50, double p90, double p99, double p999, double max, double mean) {
    }
}

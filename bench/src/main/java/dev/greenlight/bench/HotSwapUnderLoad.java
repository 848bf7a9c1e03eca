package dev.greenlight.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.greenlight.registry.ModelVersion;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * P2, hot swap under load: 8 clients predict continuously against the local host (pointer TTL
 * 50 ms) while the baseline pointer flips between iris-clf v1 and v2. Phase 1 is steady state;
 * phase 2 flips the pointer {@code --flips} times, waiting after each flip until a response
 * shows the new version. Every non-200 answer or I/O error counts as a failed request.
 * Latency percentiles are taken over the seconds in which no other process was busy
 * ({@link Slicer}); request and failure counts over all of them.
 */
final class HotSwapUnderLoad {
    private static final int CLIENTS = 8;
    private static final Duration FLIP_TIMEOUT = Duration.ofSeconds(5);
    private static final byte[] BODY = "{\"instances\":[[5.1,3.5,1.4,0.2]]}".getBytes(StandardCharsets.UTF_8);
    /** Phases available to each part, in one-second slices: a busy machine stretches both. */
    private static final int STEADY_SLICES = 120;
    private static final int SWAP_SLICES = 600;

    record Flip(int index, String version, double millisToServed, boolean timedOut) {
    }

    record FlipSummary(int flips, int timedOut, double p50Millis, double p99Millis, double maxMillis) {
    }

    /** One part of the run: over the clean seconds, and how many seconds were left out. */
    record Part(Load.Phase clean, int rejectedSeconds, CpuMonitor.Use cleanCpu, Load.Phase all) {
    }

    record Result(String benchmark, String date, Machine machine, String rerun, String httpClient, int clients,
                  double pointerTtlSeconds, Part steady, Part swapping, long totalRequests, long failedRequests,
                  double p99Ratio, FlipSummary flipToServed, List<Flip> flips, List<Report.Target> targets,
                  List<String> errors, JsonNode statusAfter) {
    }

    /** The flip being waited for: which version, since when, and the first response that showed it. */
    record Watch(String version, long flippedAt, AtomicLong servedAt, CountDownLatch seen) {
        void answered(long start, long end, String answered) {
            // Only requests sent after the flip count, so a straggler can never be credited early.
            if (start >= flippedAt && version.equals(answered) && servedAt.compareAndSet(0, end)) {
                seen.countDown();
            }
        }
    }

    private final Project project;
    private final Machine machine;
    private final Options options;
    private volatile Watch watch;

    HotSwapUnderLoad(Project project, Machine machine, Options options) {
        this.project = project;
        this.machine = machine;
        this.options = options;
    }

    void run() throws Exception {
        String rerun = options.rerun("p2");
        // The host's JIT keeps compiling for 15-20 s of load; a steady phase before that is not steady.
        Duration warmup = options.seconds("host-warmup", 30);
        int steadySeconds = (int) Math.max(1, options.seconds("steady", 10).toSeconds());
        int flipCount = options.integer("flips", 100);
        Duration flipEvery = options.seconds("flip-every", 0.15);
        Report.header("P2 hot swap under load: " + CLIENTS + " clients, " + flipCount
                + " pointer flips v1<->v2, GREENLIGHT_POINTER_TTL=0.05", machine, rerun);
        Path run = DataFolder.tempRun("p2");
        String key = UUID.randomUUID().toString();
        List<Flip> flips = new ArrayList<>();
        Part steady;
        Part swapping;
        List<String> errors;
        JsonNode status;
        try {
            DataFolder data = new DataFolder(run.resolve("data"));
            ModelVersion v1 = data.registerDemo(1);
            ModelVersion v2 = data.registerDemo(2);
            data.point(v1);
            ChildHost.Spec spec = new ChildHost.Spec(project, run, data.dir(), ChildHost.freePort(),
                    Map.of("GREENLIGHT_POINTER_TTL", "0.1", "GREENLIGHT_FUNCTION_KEY", key), List.of());
            try (ChildHost host = ChildHost.spawn(spec)) {
                byte[] request = HttpConnection.request("POST", "/api/predict",
                        Map.of("x-functions-key", key, "Content-Type", "application/json"), BODY);
                host.awaitOk(request, Duration.ofMillis(20), Duration.ofSeconds(60));
                CpuMonitor.awaitQuiet(0.2, 300);
                Load load = Load.start(CLIENTS, STEADY_SLICES + SWAP_SLICES,
                        i -> HttpConnection.call(host.port(), request), this::answered);
                ChildHost.sleep(warmup);
                Slicer.Slices steadySlices = Slicer.collect(load, host.pid(), 0, STEADY_SLICES - 1, steadySeconds);
                Slicer swapSlicer = Slicer.start(load, host.pid(), STEADY_SLICES, load.phases() - 1);
                for (int i = 0; i < flipCount; i++) {
                    flips.add(flip(i, data, i % 2 == 0 ? v2 : v1, flipEvery));
                }
                watch = null;
                Slicer.Slices swapSlices = swapSlicer.stop();
                load.stop();
                host.requireAlive();
                steady = part(load, steadySlices);
                swapping = part(load, swapSlices);
                errors = load.sampleErrors();
                status = fetchStatus(host.port(), key);
            }
        } finally {
            if (!options.keep()) {
                DataFolder.delete(run);
            }
        }
        report(rerun, steady, swapping, flips, errors, status);
    }

    /** Writes the pointer and waits until a request sent after the write is answered by the new version. */
    private Flip flip(int index, DataFolder data, ModelVersion next, Duration every) throws InterruptedException {
        long flippedAt = System.nanoTime();
        Watch w = new Watch(next.version(), flippedAt, new AtomicLong(), new CountDownLatch(1));
        watch = w;
        data.point(next);
        boolean served = w.seen().await(FLIP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        long rest = flippedAt + every.toNanos() - System.nanoTime();
        if (rest > 0) {
            ChildHost.sleep(Duration.ofNanos(rest));
        }
        return new Flip(index + 1, next.version(),
                served ? (w.servedAt().get() - flippedAt) / 1e6 : FLIP_TIMEOUT.toMillis(), !served);
    }

    private void answered(long start, long end, String version) {
        Watch w = watch;
        if (w != null) {
            w.answered(start, end, version);
        }
    }

    private static Part part(Load load, Slicer.Slices slices) {
        boolean anyClean = !slices.clean().isEmpty();
        return new Part(load.combine(anyClean ? slices.clean() : slices.all()), slices.rejected(),
                anyClean ? slices.cleanCpu() : slices.allCpu(), load.combine(slices.all()));
    }

    private void report(String rerun, Part steady, Part swapping, List<Flip> flips, List<String> errors,
                        JsonNode status) throws Exception {
        long failed = steady.all().failures() + swapping.all().failures();
        long total = steady.all().requests() + swapping.all().requests() + failed;
        double ratio = swapping.clean().latency().p99() / steady.clean().latency().p99();
        long[] served = flips.stream().filter(f -> !f.timedOut())
                .mapToLong(f -> Math.round(f.millisToServed() * 1000)).sorted().toArray();
        FlipSummary summary = new FlipSummary(flips.size(), (int) flips.stream().filter(Flip::timedOut).count(),
                LatencyRecorder.rank(served, 50) / 1000.0, LatencyRecorder.rank(served, 99) / 1000.0,
                served.length == 0 ? 0 : served[served.length - 1] / 1000.0);

        System.out.println();
        Report.Table table = new Report.Table("phase (clean seconds)", "seconds", "requests", "failed", "req/s",
                "p50 us", "p99 us", "p99.9 us", "max us", "answers by version", "s left out");
        String[] names = {"steady", "swapping"};
        Part[] parts = {steady, swapping};
        for (int i = 0; i < 2; i++) {
            Load.Phase p = parts[i].clean();
            table.row(names[i], Report.fmt(p.seconds(), 1), p.requests(), p.failures(), Report.fmt(p.throughput(), 0),
                    Report.fmt(p.latency().p50(), 1), Report.fmt(p.latency().p99(), 1),
                    Report.fmt(p.latency().p999(), 1), Report.fmt(p.latency().max(), 0), p.versions(),
                    parts[i].rejectedSeconds());
        }
        table.print();
        if (swapping.rejectedSeconds() > 0) {
            System.out.printf("  swapping, all seconds: p99 %.1f us over %d requests%n",
                    swapping.all().latency().p99(), swapping.all().requests());
        }
        System.out.println();
        System.out.printf("  flips: %d (%d timed out after %d s); flip -> first response with the new version:"
                        + " p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", summary.flips(), summary.timedOut(),
                FLIP_TIMEOUT.toSeconds(), summary.p50Millis(), summary.p99Millis(), summary.maxMillis());
        System.out.println("  versions alternated: " + (summary.timedOut() == 0 ? "yes, every flip was served"
                : "no, " + summary.timedOut() + " flips were not seen served") + "; answers while swapping: "
                + swapping.all().versions());
        System.out.println("  total requests " + total + ", failed " + failed);
        List<Report.Target> targets = List.of(
                new Report.Target("failed requests", "0", failed, "", failed == 0),
                new Report.Target("p99 while swapping / steady p99", "<= 1.50x", ratio, "x", ratio <= 1.5));
        System.out.println();
        System.out.println("targets:");
        targets.forEach(t -> System.out.println(t.line()));
        if (!errors.isEmpty()) {
            System.out.println("errors (first few): " + errors);
        }
        System.out.println();
        System.out.println("GET /api/status after the run:");
        System.out.println(Report.JSON.writeValueAsString(status).indent(2));
        Report.writeJson(project, "p2-hot-swap", new Result("P2 hot swap under load",
                OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).toString(), machine, rerun,
                "raw-socket HTTP/1.1 keep-alive client (one connection per client thread, TCP_NODELAY)", CLIENTS,
                0.05, steady, swapping, total, failed, ratio, summary, flips, targets, errors, status));
    }

    static JsonNode fetchStatus(int port, String key) throws Exception {
        try (HttpConnection connection = new HttpConnection(port)) {
            HttpConnection.Response response = connection.exchange(HttpConnection.request("GET", "/api/status",
                    Map.of("x-functions-key", key), new byte[0]));
            return response.status() == 200 ? Report.JSON.readTree(response.body())
                    : Report.JSON.getNodeFactory().textNode("HTTP " + response.status() + ": " + response.text());
        }
    }
}

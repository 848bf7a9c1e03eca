package dev.greenlight.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.greenlight.registry.ModelVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Soak: {@code --swaps} (1,000) baseline swaps under a steady predict load, watching what the
 * host process holds. As in P2, the pointer alternates between iris-clf v1 and v2 (TTL 100 ms, the
 * shortest the settings allow)
 * and each swap waits until a request sent after the write is answered by the new version.
 * After swap 10, 100, 500 and the last, the host's resident memory, open file descriptors and
 * threads are read from {@code /proc}, and the size of its {@code java.io.tmpdir} (a folder of
 * its own, so that other processes' files do not count) and of the data folder's
 * {@code cache/} and {@code store/}. After swap 10 is the reference: by then every code path of
 * a swap has run and been compiled, so what grows after it grows with the number of swaps.
 */
final class Soak {
    private static final String POINTER_TTL = "0.1";
    /**
     * The sync check every 15 s instead of every 5 min: its documents exist before swap 10, and its
     * runs (about 15 during the swaps) are soaked too.
     */
    private static final String SYNC_SCHEDULE = "*/15 * * * * *";
    private static final Duration SWAP_TIMEOUT = Duration.ofSeconds(5);
    private static final byte[] BODY = "{\"instances\":[[5.1,3.5,1.4,0.2]]}".getBytes(StandardCharsets.UTF_8);
    private static final int[] SAMPLE_AFTER = {10, 100, 500, 1000};
    /** Resident memory after the last swap may exceed that after swap 10 by this factor at most. */
    private static final double RSS_LIMIT = 1.05;
    /** A file being read (the pointer, polled every 100 ms) or a pool thread started at that moment. */
    private static final int FD_AND_THREAD_SLACK = 2;
    /** The pointer document grows by a digit per tenfold generation; anything more is growth. */
    private static final long FOLDER_SLACK_BYTES = 4096;

    /** What was read after {@code swaps} swaps ({@code 0}: after the warm-up, before the first). */
    record Sample(int swaps, double seconds, Footprint process, Footprint.Heap heap, Footprint.Folder tmpdir,
                  Footprint.Folder tmpOnnxRuntime, Footprint.Folder tmpGreenlight, Footprint.Folder cache,
                  Footprint.Folder store, List<String> tmpdirEntries, List<String> storeFiles) {
    }

    /** Requests between the previous sample and this one. */
    record Segment(int upToSwap, Load.Phase requests) {
    }

    record SwapSummary(int swaps, int notServed, double p50Millis, double p99Millis, double maxMillis) {
    }

    /** After swap 10 against after the last swap. */
    record Change(double rssRatio, int fdDelta, String fdChange, int threadDelta, String threadChange,
                  long tmpdirFileDelta, long tmpdirByteDelta, long dataFileDelta, long dataByteDelta) {
    }

    record Result(String benchmark, String date, Machine machine, String rerun, String httpClient, int clients,
                  double pointerTtlSeconds, List<String> hostJvmOptions, SwapSummary swaps, double swappingSeconds,
                  CpuMonitor.Use cpuWhileSwapping, List<Sample> samples, List<Segment> segments, long totalRequests,
                  long failedRequests, Change change, List<Report.Target> targets, List<String> errors,
                  JsonNode statusAfter) {
    }

    private final Project project;
    private final Machine machine;
    private final Options options;
    private volatile HotSwapUnderLoad.Watch watch;

    Soak(Project project, Machine machine, Options options) {
        this.project = project;
        this.machine = machine;
        this.options = options;
    }

    void run() throws Exception {
        String rerun = options.rerun("soak");
        int swapCount = options.integer("swaps", 1000);
        int clients = options.integer("clients", 4);
        Duration warmup = options.seconds("host-warmup", 30);
        Duration swapEvery = options.seconds("flip-every", 0.2);
        List<Integer> sampleAfter = samplePoints(swapCount);
        Report.header("Soak: " + swapCount + " baseline swaps v1<->v2 under " + clients
                + " keep-alive predict clients, GREENLIGHT_POINTER_TTL=" + POINTER_TTL, machine, rerun);
        Path run = DataFolder.tempRun("soak");
        Path tmpdir = Files.createDirectories(run.resolve("tmp"));
        Path gcLog = run.resolve("gc.log");
        String key = UUID.randomUUID().toString();
        List<String> jvm = new ArrayList<>(List.of("-Djava.io.tmpdir=" + tmpdir, "-Xlog:gc:file=" + gcLog));
        jvm.addAll(options.words("child-jvm"));
        List<Sample> samples = new ArrayList<>();
        List<Long> swapNanos = new ArrayList<>();
        int notServed = 0;
        List<Segment> segments = new ArrayList<>();
        List<String> errors;
        JsonNode status;
        CpuMonitor.Use cpu;
        double swappingSeconds;
        try {
            DataFolder data = new DataFolder(run.resolve("data"));
            ModelVersion v1 = data.registerDemo(1);
            ModelVersion v2 = data.registerDemo(2);
            data.point(v1);
            ChildHost.Spec spec = new ChildHost.Spec(project, run, data.dir(), ChildHost.freePort(),
                    Map.of("GREENLIGHT_POINTER_TTL", POINTER_TTL, "GREENLIGHT_FUNCTION_KEY", key,
                            "GREENLIGHT_SYNC_SCHEDULE", SYNC_SCHEDULE), jvm);
            try (ChildHost host = ChildHost.spawn(spec)) {
                byte[] request = HttpConnection.request("POST", "/api/predict",
                        Map.of("x-functions-key", key, "Content-Type", "application/json"), BODY);
                host.awaitOk(request, Duration.ofMillis(20), Duration.ofSeconds(60));
                Load load = Load.start(clients, 1 + sampleAfter.size(),
                        i -> HttpConnection.call(host.port(), request), this::answered);
                load.phase(0); // every request counts, the warm-up's too
                long started = System.nanoTime();
                ChildHost.sleep(warmup);
                System.out.printf("  warm-up done (%d s); swapping ...%n", warmup.toSeconds());
                samples.add(sample(0, started, host.pid(), tmpdir, gcLog, data.dir()));
                CpuMonitor monitor = CpuMonitor.start(host.pid());
                long swapsFrom = System.nanoTime();
                load.phase(1);
                int next = 0;
                for (int i = 1; i <= swapCount; i++) {
                    long took = swap(data, i % 2 == 1 ? v2 : v1, swapEvery);
                    if (took < 0) {
                        notServed++;
                    } else {
                        swapNanos.add(took);
                    }
                    if (i == sampleAfter.get(next)) {
                        // Phase k + 1 holds the requests up to the k-th sample; the last runs until the load stops.
                        if (++next < sampleAfter.size()) {
                            load.phase(next + 1);
                        }
                        host.requireAlive();
                        Sample s = sample(i, started, host.pid(), tmpdir, gcLog, data.dir());
                        samples.add(s);
                        System.out.printf("  after %,d swaps (%.0f s): RSS %.1f MiB, %d fds, %d threads%n", i,
                                s.seconds(), s.process().rssMiB(), s.process().fds(), s.process().threads());
                    }
                }
                watch = null;
                swappingSeconds = (System.nanoTime() - swapsFrom) / 1e9;
                cpu = monitor.stop();
                load.stop();
                host.requireAlive();
                for (int p = 0; p < load.phases(); p++) {
                    segments.add(new Segment(p == 0 ? 0 : sampleAfter.get(p - 1), load.combine(List.of(p))));
                }
                errors = load.sampleErrors();
                status = HotSwapUnderLoad.fetchStatus(host.port(), key);
            }
        } finally {
            if (!options.keep()) {
                DataFolder.delete(run);
            }
        }
        report(rerun, clients, jvm, samples, segments, summary(swapCount, notServed, swapNanos), swappingSeconds,
                cpu, errors, status);
    }

    /** 10, 100, 500, 1,000 as far as the run goes, and always its last swap. */
    private static List<Integer> samplePoints(int swaps) {
        if (swaps < 1) {
            throw new IllegalArgumentException("--swaps must be at least 1, was " + swaps);
        }
        TreeSet<Integer> points = new TreeSet<>();
        for (int n : SAMPLE_AFTER) {
            if (n <= swaps) {
                points.add(n);
            }
        }
        points.add(swaps);
        return List.copyOf(points);
    }

    /**
     * Writes the pointer and waits until a request sent after the write is answered by the new
     * version; returns the nanoseconds that took, or -1 when it was not seen within the timeout.
     */
    private long swap(DataFolder data, ModelVersion next, Duration every) throws InterruptedException {
        long swappedAt = System.nanoTime();
        HotSwapUnderLoad.Watch w = new HotSwapUnderLoad.Watch(next.version(), swappedAt, new AtomicLong(),
                new CountDownLatch(1));
        watch = w;
        data.point(next);
        boolean served = w.seen().await(SWAP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        long rest = swappedAt + every.toNanos() - System.nanoTime();
        if (rest > 0) {
            ChildHost.sleep(Duration.ofNanos(rest));
        }
        return served ? w.servedAt().get() - swappedAt : -1;
    }

    private void answered(long start, long end, String version) {
        HotSwapUnderLoad.Watch w = watch;
        if (w != null) {
            w.answered(start, end, version);
        }
    }

    private static Sample sample(int swaps, long started, long pid, Path tmpdir, Path gcLog, Path data) {
        Footprint process = Footprint.of(pid);
        return new Sample(swaps, (System.nanoTime() - started) / 1e9, process, Footprint.Heap.lastIn(gcLog),
                Footprint.Folder.of(tmpdir), Footprint.Folder.matching(tmpdir, "onnxruntime-java"),
                Footprint.Folder.matching(tmpdir, "greenlight"), Footprint.Folder.of(data.resolve("cache")),
                Footprint.Folder.of(data.resolve("store")), names(tmpdir, 1), names(data.resolve("store"), 8));
    }

    /** The files (and, at depth 1, folders) under {@code dir}, relative to it. */
    private static List<String> names(Path dir, int depth) {
        try (Stream<Path> all = Files.walk(dir, depth)) {
            return all.filter(p -> !p.equals(dir) && (depth == 1 || Files.isRegularFile(p)))
                    .map(p -> dir.relativize(p).toString()).sorted().toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            return List.of("cannot list: " + e.getMessage());
        }
    }

    private static SwapSummary summary(int swaps, int notServed, List<Long> nanos) {
        long[] sorted = nanos.stream().mapToLong(n -> n / 1000).sorted().toArray();
        return new SwapSummary(swaps, notServed, LatencyRecorder.rank(sorted, 50) / 1000.0,
                LatencyRecorder.rank(sorted, 99) / 1000.0, sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1000.0);
    }

    private void report(String rerun, int clients, List<String> jvm, List<Sample> samples, List<Segment> segments,
                        SwapSummary swaps, double swappingSeconds, CpuMonitor.Use cpu, List<String> errors,
                        JsonNode status) throws Exception {
        System.out.println();
        Report.Table process = new Report.Table("after swap", "at s", "RSS MiB", "anon MiB",
                "heap after GC / committed MiB", "fds", "threads", "requests since previous", "failed");
        Report.Table folders = new Report.Table("after swap", "tmpdir files / KiB", "of which onnxruntime-java*",
                "of which greenlight*", "data cache files / KiB", "data store files / KiB");
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            Load.Phase p = segments.get(i).requests();
            String at = s.swaps() == 0 ? "0 (after warm-up)" : String.format("%,d", s.swaps());
            process.row(at, Report.fmt(s.seconds(), 0), Report.fmt(s.process().rssMiB(), 1),
                    Report.fmt(s.process().rssAnonKiB() / 1024.0, 1),
                    s.heap().usedAfterGcMiB() + " / " + s.heap().committedMiB(), s.process().fds(),
                    s.process().threads(), String.format("%,d", p.requests()), p.failures());
            folders.row(at, folder(s.tmpdir()), folder(s.tmpOnnxRuntime()), folder(s.tmpGreenlight()),
                    folder(s.cache()), folder(s.store()));
        }
        process.print();
        System.out.println();
        folders.print();

        Sample start = samples.stream().filter(s -> s.swaps() >= Math.min(10, swaps.swaps())).findFirst().orElseThrow();
        Sample end = samples.get(samples.size() - 1);
        long failed = segments.stream().mapToLong(s -> s.requests().failures()).sum();
        long total = segments.stream().mapToLong(s -> s.requests().requests()).sum() + failed;
        Change change = new Change((double) end.process().rssKiB() / start.process().rssKiB(),
                end.process().fds() - start.process().fds(),
                Footprint.diff(start.process().fdKinds(), end.process().fdKinds()),
                end.process().threads() - start.process().threads(),
                Footprint.diff(start.process().threadNames(), end.process().threadNames()),
                end.tmpdir().files() - start.tmpdir().files(), end.tmpdir().bytes() - start.tmpdir().bytes(),
                end.cache().files() + end.store().files() - start.cache().files() - start.store().files(),
                end.cache().bytes() + end.store().bytes() - start.cache().bytes() - start.store().bytes());

        System.out.println();
        System.out.printf("  start = after swap %,d, end = after swap %,d (%.0f s of swapping; cores busy: host %.2f,"
                + " others %.2f):%n", start.swaps(), end.swaps(), swappingSeconds, cpu.host(), cpu.others());
        System.out.printf("    RSS        %.1f -> %.1f MiB (%.3fx)%n", start.process().rssMiB(), end.process().rssMiB(),
                change.rssRatio());
        System.out.printf("    fds        %d -> %d%s%n", start.process().fds(), end.process().fds(),
                change.fdChange().isEmpty() ? "" : " (" + change.fdChange() + ")");
        System.out.printf("    threads    %d -> %d%s%n", start.process().threads(), end.process().threads(),
                change.threadChange().isEmpty() ? "" : " (" + change.threadChange() + ")");
        System.out.printf("    tmpdir     %s -> %s (entries at the end: %s)%n", folder(start.tmpdir()),
                folder(end.tmpdir()), end.tmpdirEntries());
        List<String> added = new ArrayList<>(end.storeFiles());
        added.removeAll(start.storeFiles());
        System.out.printf("    data cache %s -> %s, store %s -> %s%s%n", folder(start.cache()), folder(end.cache()),
                folder(start.store()), folder(end.store()), added.isEmpty() ? "" : " (added: " + added + ")");
        System.out.printf("  swaps: %d, %d not seen served within %d s; swap -> first response with the new version:"
                        + " p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", swaps.swaps(), swaps.notServed(),
                SWAP_TIMEOUT.toSeconds(), swaps.p50Millis(), swaps.p99Millis(), swaps.maxMillis());
        System.out.printf("  requests: %,d, failed %d%n", total, failed);

        List<Report.Target> targets = List.of(
                new Report.Target("failed requests", "0", failed, "", failed == 0),
                new Report.Target("swaps not seen served", "0", swaps.notServed(), "", swaps.notServed() == 0),
                new Report.Target("RSS end / start", "<= " + RSS_LIMIT + "x", change.rssRatio(), "x",
                        change.rssRatio() <= RSS_LIMIT),
                new Report.Target("open fds end - start", "<= +" + FD_AND_THREAD_SLACK, change.fdDelta(), "",
                        change.fdDelta() <= FD_AND_THREAD_SLACK),
                new Report.Target("threads end - start", "<= +" + FD_AND_THREAD_SLACK, change.threadDelta(),
                        "", change.threadDelta() <= FD_AND_THREAD_SLACK),
                new Report.Target("tmpdir files end - start", "<= 0", change.tmpdirFileDelta(), "",
                        change.tmpdirFileDelta() <= 0),
                new Report.Target("tmpdir bytes end - start", "<= " + FOLDER_SLACK_BYTES,
                        change.tmpdirByteDelta(), "B", change.tmpdirByteDelta() <= FOLDER_SLACK_BYTES),
                new Report.Target("data cache + store files end - start", "<= 0", change.dataFileDelta(), "",
                        change.dataFileDelta() <= 0),
                new Report.Target("data cache + store bytes end - start", "<= " + FOLDER_SLACK_BYTES,
                        change.dataByteDelta(), "B", change.dataByteDelta() <= FOLDER_SLACK_BYTES));
        System.out.println();
        System.out.println("targets:");
        targets.forEach(t -> System.out.println(t.line()));
        if (!errors.isEmpty()) {
            System.out.println("errors (first few): " + errors);
        }
        System.out.println();
        System.out.println("GET /api/status after the run:");
        System.out.println(Report.JSON.writeValueAsString(status).indent(2));
        System.out.println("rerun: " + rerun);
        Report.writeJson(project, "soak", new Result("Soak: baseline swaps under load",
                OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).toString(), machine, rerun,
                "raw-socket HTTP/1.1 keep-alive client (one connection per client thread, TCP_NODELAY)", clients,
                Double.parseDouble(POINTER_TTL), jvm, swaps, swappingSeconds, cpu, samples, segments, total, failed,
                change, targets, errors, status));
    }

    private static String folder(Footprint.Folder f) {
        return f.files() + " / " + Report.fmt(f.bytes() / 1024.0, 1);
    }
}

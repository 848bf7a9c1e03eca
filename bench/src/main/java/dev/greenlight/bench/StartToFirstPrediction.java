package dev.greenlight.bench;

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
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * P6, start to first prediction: from spawning {@code java -jar local/target/greenlight-local.jar
 * start} to the first 200 from {@code POST /api/predict}, polled every 5 ms on a fresh connection
 * (a refused connection or a non-200 answer is "not ready"). Cold runs start on an empty data
 * folder (so they include seeding); warm runs reuse a seeded folder with a filled artifact cache.
 * One more run with {@code -Xlog:class+load} says where the time goes.
 */
final class StartToFirstPrediction {
    private static final Duration POLL = Duration.ofMillis(5);
    private static final double TARGET_SECONDS = 1.6;
    private static final byte[] BODY = "{\"instances\":[[5.1,3.5,1.4,0.2]]}".getBytes(StandardCharsets.UTF_8);
    private static final String SERVING_LINE = "Greenlight is serving";

    record Run(String kind, int index, double secondsToFirst200, double secondsToListening, CpuMonitor.Use cpu) {
    }

    record Stats(String kind, int runs, double min, double median, double max, double medianToListening) {
    }

    record Result(String benchmark, String date, Machine machine, String rerun, List<String> hostJvmOptions,
                  List<Run> runs, List<Stats> stats, List<Report.Target> targets, Breakdown.Result breakdown) {
    }

    private final Project project;
    private final Machine machine;
    private final Options options;

    StartToFirstPrediction(Project project, Machine machine, Options options) {
        this.project = project;
        this.machine = machine;
        this.options = options;
    }

    void run() throws IOException {
        String rerun = options.rerun("p6");
        int runs = options.integer("runs", 5);
        boolean cds = options.flag("cds");
        List<String> childJvm = new ArrayList<>(options.words("child-jvm"));
        Report.header("P6 start to first prediction: spawn java -jar greenlight-local.jar start -> first 200"
                + " from POST /api/predict" + (cds ? ", with a class-data sharing archive" : ""), machine, rerun);
        Path root = DataFolder.tempRun("p6");
        List<Run> results = new ArrayList<>();
        Breakdown.Result breakdown;
        try {
            if (cds) {
                childJvm.addAll(writeCdsArchive(root, childJvm));
            }
            Path warmData = null;
            for (int i = 1; i <= runs; i++) {
                Path data = root.resolve("cold-" + i);
                results.add(start("cold", i, root, data, childJvm).run());
                warmData = data;
            }
            for (int i = 1; i <= runs; i++) {
                results.add(start("warm", i, root, warmData, childJvm).run());
            }
            Path log = root.resolve("class-load.log");
            List<String> tracing = new ArrayList<>(childJvm);
            tracing.add("-Xlog:class+load=info:file=" + log + ":uptimenanos,timenanos");
            Started traced = start("warm+trace", 1, root, warmData, tracing);
            breakdown = Breakdown.of(traced, Files.readAllLines(log));
        } finally {
            if (!options.keep()) {
                DataFolder.delete(root);
            }
        }
        results.forEach(r -> System.out.printf("  %-5s run %d: first 200 after %.3f s (listening after %.3f s; %s)%n",
                r.kind(), r.index(), r.secondsToFirst200(), r.secondsToListening(), r.cpu().describe()));
        List<Stats> stats = List.of(stats("cold", results), stats("warm", results));
        System.out.println();
        Report.Table table = new Report.Table("start", "runs", "min s", "median s", "max s", "median to listening s");
        stats.forEach(s -> table.row(s.kind(), s.runs(), Report.fmt(s.min(), 3), Report.fmt(s.median(), 3),
                Report.fmt(s.max(), 3), Report.fmt(s.medianToListening(), 3)));
        table.print();
        List<Report.Target> targets = stats.stream().map(s -> new Report.Target(s.kind() + " start median",
                "<= " + TARGET_SECONDS + " s (Java on Azure Functions: ~5.5 s)", s.median(), "s",
                s.median() <= TARGET_SECONDS)).toList();
        System.out.println();
        System.out.println("targets:");
        targets.forEach(t -> System.out.println(t.line()));
        breakdown.print();
        Report.writeJson(project, "p6-start-to-first-prediction" + (cds ? "-cds" : ""),
                new Result("P6 start to first prediction", OffsetDateTime.now(ZoneOffset.UTC)
                        .truncatedTo(ChronoUnit.SECONDS).toString(), machine, rerun, childJvm, results, stats,
                        targets, breakdown));
    }

    /**
     * As {@code ./greenlight start} does: one untimed start with {@code -XX:ArchiveClassesAtExit}
     * (the archive is written when the host exits), then every timed start maps it. Returns the
     * JVM options that use it.
     */
    private List<String> writeCdsArchive(Path root, List<String> childJvm) {
        Path archive = root.resolve("greenlight.jsa");
        System.out.println("  writing a class-data sharing archive with one untimed start ...");
        List<String> dump = new ArrayList<>(childJvm);
        dump.addAll(List.of("-XX:ArchiveClassesAtExit=" + archive, "-Xlog:cds=off"));
        start("cds-dump", 1, root, root.resolve("cds-data"), dump);
        if (!Files.isRegularFile(archive)) {
            throw new IllegalStateException("the host wrote no archive at " + archive);
        }
        return List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
    }

    /** One start, measured; the host is stopped before this returns. */
    record Started(Run run, long spawnedAt, long first200At, List<ChildHost.Line> output) {
    }

    /**
     * One start; again (up to {@link CpuMonitor#ATTEMPTS} times) when other processes interfered,
     * or when the host was stopped from outside before it answered (a shared machine).
     */
    private Started start(String kind, int index, Path root, Path data, List<String> jvmArgs) {
        for (int attempt = 1; ; attempt++) {
            boolean last = attempt == CpuMonitor.ATTEMPTS;
            String why;
            try {
                Started started = startOnce(kind, index, root, data, jvmArgs);
                if (!started.run().cpu().contended() || last) {
                    return started;
                }
                why = String.format(Locale.ROOT, "other processes used %.2f cores", started.run().cpu().others());
            } catch (ChildHost.Exited e) {
                if (last) {
                    throw e;
                }
                why = e.getMessage().lines().findFirst().orElse("the host exited");
            }
            System.out.printf("  %s run %d: %s; starting again%n", kind, index, why);
            if (kind.equals("cold")) {
                DataFolder.delete(data); // a cold start needs an empty folder again
            }
        }
    }

    private Started startOnce(String kind, int index, Path root, Path data, List<String> jvmArgs) {
        String key = UUID.randomUUID().toString();
        ChildHost.Spec spec = new ChildHost.Spec(project, root, data, ChildHost.freePort(),
                Map.of("GREENLIGHT_FUNCTION_KEY", key), jvmArgs);
        byte[] request = HttpConnection.request("POST", "/api/predict",
                Map.of("x-functions-key", key, "Content-Type", "application/json", "Connection", "close"), BODY);
        CpuMonitor.awaitQuiet(0.2, 300);
        try (ChildHost host = ChildHost.spawn(spec)) {
            CpuMonitor monitor = CpuMonitor.start(host.pid());
            long first200 = host.awaitOk(request, POLL, Duration.ofSeconds(60));
            CpuMonitor.Use cpu = monitor.stop();
            List<ChildHost.Line> output = host.output();
            double listening = output.stream().filter(l -> l.text().contains(SERVING_LINE))
                    .mapToDouble(l -> l.nanosAfterSpawn() / 1e9).findFirst().orElse(Double.NaN);
            Run run = new Run(kind, index, (first200 - host.spawnedAt()) / 1e9, listening, cpu);
            return new Started(run, host.spawnedAt(), first200, output);
        }
    }

    private static Stats stats(String kind, List<Run> runs) {
        double[] first = runs.stream().filter(r -> r.kind().equals(kind)).mapToDouble(Run::secondsToFirst200)
                .sorted().toArray();
        double[] listening = runs.stream().filter(r -> r.kind().equals(kind)).mapToDouble(Run::secondsToListening)
                .sorted().toArray();
        return new Stats(kind, first.length, first[0], median(first), first[first.length - 1], median(listening));
    }

    static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}

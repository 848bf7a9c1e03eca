package dev.greenlight.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Where a start's time goes, from one run with
 * {@code -Xlog:class+load=info:file=<log>:uptimenanos,timenanos}. {@code timenanos} is the child's
 * {@code System.nanoTime()}, the same monotonic clock as ours on Linux, so the first load of a
 * marker class can be placed on the spawn-to-first-200 timeline; lines of the host's output and
 * the first 200 are timed here. Each step is the interval that ends at its marker.
 */
final class Breakdown {
    private static final Pattern LINE = Pattern.compile("^\\[(\\d+)ns\\]\\[(\\d+)ns\\] (\\S+) source: (.*)$");

    /** One interval of the start: what ends it, when (ms after spawn), how long, classes loaded in it. */
    record Step(String step, double atMillis, double tookMillis, int classesLoaded) {
    }

    record Result(double secondsToFirst200, int classesLoaded, List<Step> steps, Map<String, Integer> classesBySource) {
        void print() {
            System.out.println();
            System.out.printf("where the time goes (one extra warm start with -Xlog:class+load; first 200 after"
                    + " %.3f s, %d classes loaded):%n", secondsToFirst200, classesLoaded);
            Report.Table table = new Report.Table("moment (in the order they happened)", "at ms", "ms since previous",
                    "classes loaded since previous");
            steps.forEach(s -> table.row(s.step(), Report.fmt(s.atMillis(), 0), Report.fmt(s.tookMillis(), 0),
                    s.classesLoaded()));
            table.print();
            System.out.println("  classes by source: " + classesBySource);
        }
    }

    /** One class load: when (the child's nanoTime), its JVM uptime then, the class and where it came from. */
    private record Load(long nanos, long uptime, String className, String source) {
    }

    private enum Kind { JVM_START, CLASS, OUTPUT, FIRST_200 }

    private record Marker(String step, Kind kind, String key) {
    }

    /** Moments of a start, each the end of the step before it; printed in the order they happened. */
    private static final List<Marker> MARKERS = List.of(
            new Marker("JVM created (process spawned)", Kind.JVM_START, null),
            new Marker("JVM initialised (java.lang.Object loaded)", Kind.CLASS, "java.lang.Object"),
            new Marker("launcher reached the CLI (cli.Main loaded)", Kind.CLASS, "dev.greenlight.local.cli.Main"),
            new Marker("picocli parsed `start` (seed.EmbeddedDefault loaded)", Kind.CLASS,
                    "dev.greenlight.local.seed.EmbeddedDefault"),
            new Marker("seed checked, host loading the app (host.LocalHost loaded)", Kind.CLASS,
                    "dev.greenlight.local.host.LocalHost"),
            new Marker("host listening (\"Greenlight is serving\" printed)", Kind.OUTPUT, "Greenlight is serving"),
            new Marker("first request arrived (host.IncomingRequest loaded)", Kind.CLASS,
                    "dev.greenlight.local.host.IncomingRequest"),
            new Marker("app built, ONNX Runtime starting (ai.onnxruntime.OnnxRuntime loaded)", Kind.CLASS,
                    "ai.onnxruntime.OnnxRuntime"),
            new Marker("native library extracted and loaded (OrtSession$SessionOptions loaded)", Kind.CLASS,
                    "ai.onnxruntime.OrtSession$SessionOptions"),
            new Marker("session created (serving.ModelSignature loaded)", Kind.CLASS,
                    "dev.greenlight.serving.ModelSignature"),
            new Marker("smoke run done, labels read (OnnxModelMetadata loaded)", Kind.CLASS,
                    "ai.onnxruntime.OnnxModelMetadata"),
            new Marker("first 200 received", Kind.FIRST_200, null));

    private Breakdown() {
    }

    static Result of(StartToFirstPrediction.Started started, List<String> classLog) {
        List<Load> loads = parse(classLog);
        long spawn = started.spawnedAt();
        record Moment(String what, long at) {
        }
        List<Moment> moments = new ArrayList<>();
        for (Marker marker : MARKERS) {
            Long at = time(marker, loads, started);
            if (at != null) {
                moments.add(new Moment(marker.step(), at));
            }
        }
        moments.sort(Comparator.comparingLong(Moment::at));
        List<Step> steps = new ArrayList<>();
        long previous = spawn;
        for (Moment m : moments) {
            long from = previous;
            int classes = (int) loads.stream().filter(l -> l.nanos() > from && l.nanos() <= m.at()).count();
            steps.add(new Step(m.what(), (m.at() - spawn) / 1e6, (m.at() - previous) / 1e6, classes));
            previous = m.at();
        }
        Map<String, Integer> bySource = new LinkedHashMap<>();
        loads.stream().map(l -> sourceName(l.source()))
                .collect(Collectors.groupingBy(s -> s, Collectors.counting()))
                .entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(8)
                .forEach(e -> bySource.put(e.getKey(), e.getValue().intValue()));
        return new Result((started.first200At() - spawn) / 1e9, loads.size(), steps, bySource);
    }

    private static Long time(Marker marker, List<Load> loads, StartToFirstPrediction.Started started) {
        return switch (marker.kind()) {
            case JVM_START -> loads.isEmpty() ? null : loads.get(0).nanos() - loads.get(0).uptime();
            case CLASS -> loads.stream().filter(l -> l.className().equals(marker.key())).map(Load::nanos)
                    .findFirst().orElse(null);
            case OUTPUT -> started.output().stream().filter(l -> l.text().contains(marker.key()))
                    .map(l -> started.spawnedAt() + l.nanosAfterSpawn()).findFirst().orElse(null);
            case FIRST_200 -> started.first200At();
        };
    }

    private static List<Load> parse(List<String> lines) {
        List<Load> loads = new ArrayList<>();
        for (String line : lines) {
            Matcher m = LINE.matcher(line);
            if (m.matches()) {
                long a = Long.parseLong(m.group(1));
                long b = Long.parseLong(m.group(2));
                // The two decorations are the clock (large) and the JVM's uptime (small).
                loads.add(new Load(Math.max(a, b), Math.min(a, b), m.group(3), m.group(4)));
            }
        }
        loads.sort(Comparator.comparingLong(Load::nanos));
        return loads;
    }

    /**
     * "jrt:/java.base" → "JDK", "shared objects file" → "JDK CDS archive", "shared objects file (top)"
     * → "app CDS archive", "file:/…/lib/jackson-databind-2.18.7.jar" → "jackson-databind-2.18.7.jar".
     */
    private static String sourceName(String source) {
        if (source.startsWith("jrt:/")) {
            return "JDK";
        }
        if (source.startsWith("shared objects file (top)")) {
            return "app CDS archive";
        }
        if (source.startsWith("shared objects file")) {
            return "JDK CDS archive";
        }
        int slash = source.lastIndexOf('/');
        return slash < 0 ? source : source.substring(slash + 1);
    }
}

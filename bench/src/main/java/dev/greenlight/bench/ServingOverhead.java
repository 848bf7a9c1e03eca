package dev.greenlight.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.greenlight.demo.DemoModels;
import dev.greenlight.demo.OnnxGraphs;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.StringJoiner;
import java.util.UUID;
import java.util.function.IntFunction;

/**
 * P1, serving overhead: the same model on the same input, once called in-process through ONNX
 * Runtime and once through {@code POST /api/predict} on the local host running as its own process.
 * For each model and client count: throughput, p50 and p99 of both, their ratio and the p50
 * difference, which is what the host, the function and JSON cost per request.
 */
final class ServingOverhead {
    private static final String HEAVY = "heavy";
    private static final int[] CLIENTS = {1, 8};
    private static final float[] IRIS_ROW = {5.1f, 3.5f, 1.4f, 0.2f};

    /** One measured side of a cell. */
    record Side(long requests, long failures, double seconds, double throughput, LatencyRecorder.Summary latency,
                CpuMonitor.Use cpu) {
    }

    record Cell(String model, int clients, Side inProcess, Side http, double throughputRatio,
                double p50OverheadMicros) {
    }

    record Result(String benchmark, String date, Machine machine, String rerun, String httpClient,
                  double hostWarmupSeconds, double warmupSeconds, double measureSeconds, List<Cell> cells,
                  Side healthAtOneClient, List<Report.Target> targets, List<String> httpErrors) {
    }

    /** A model as both sides see it: the bytes, one input row and its request body. */
    private record Subject(String model, byte[] onnx, float[] row, byte[] body) {
    }

    private final Project project;
    private final Machine machine;
    private final Options options;
    private final Duration hostWarmup;
    private final Duration warmup;
    private final Duration measure;

    ServingOverhead(Project project, Machine machine, Options options) {
        this.project = project;
        this.machine = machine;
        this.options = options;
        this.hostWarmup = options.seconds("host-warmup", 30);
        this.warmup = options.seconds("warmup", 4);
        this.measure = options.seconds("measure", 10);
    }

    void run() throws Exception {
        String rerun = options.rerun("p1");
        Report.header("P1 serving overhead: in-process ONNX Runtime vs POST /api/predict on the local host",
                machine, rerun);
        List<Subject> subjects = List.of(
                subject("iris-clf", DemoModels.bytes("iris-clf-1.onnx"), IRIS_ROW),
                subject(HEAVY, OnnxGraphs.heavyDefault(), seededRow(OnnxGraphs.HEAVY_DEFAULT_WIDTH, 7)));
        Path run = DataFolder.tempRun("p1");
        String key = UUID.randomUUID().toString();
        List<Cell> cells = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        Side health;
        try {
            DataFolder data = new DataFolder(run.resolve("data"));
            data.point(data.registerDemo(1));
            data.point(data.register(HEAVY, subjects.get(1).onnx(), Map.of(), Map.of()));
            ChildHost.Spec spec = new ChildHost.Spec(project, run, data.dir(), ChildHost.freePort(),
                    Map.of("GREENLIGHT_MODELS", "iris-clf," + HEAVY, "GREENLIGHT_FUNCTION_KEY", key), List.of());
            // One environment per process, never closed (as in the app).
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            try (ChildHost host = ChildHost.spawn(spec)) {
                for (Subject s : subjects) {
                    host.awaitOk(predict(s, key), Duration.ofMillis(20), Duration.ofSeconds(60));
                }
                warmUp(host, subjects, key);
                byte[] healthRequest = HttpConnection.request("GET", "/api/health", Map.of(), new byte[0]);
                health = measure(1, i -> HttpConnection.call(host.port(), healthRequest), host, errors);
                for (Subject s : subjects) {
                    try (OrtSession session = session(env, s.onnx())) {
                        for (int clients : CLIENTS) {
                            Side inProcess = measure(clients, i -> inProcessCall(env, session, s.row()), host, null);
                            byte[] request = predict(s, key);
                            Side http = measure(clients, i -> HttpConnection.call(host.port(), request), host, errors);
                            Cell cell = new Cell(s.model(), clients, inProcess, http,
                                    http.throughput() / inProcess.throughput(),
                                    http.latency().p50() - inProcess.latency().p50());
                            cells.add(cell);
                            System.out.printf("  measured %-8s %d client(s): in-process %.0f/s (%s), HTTP %.0f/s (%s)%n",
                                    s.model(), clients, inProcess.throughput(), inProcess.cpu().describe(),
                                    http.throughput(), http.cpu().describe());
                        }
                    }
                }
            }
        } finally {
            if (!options.keep()) {
                DataFolder.delete(run);
            }
        }
        print(cells);
        System.out.printf("%n  reference: GET /api/health (no key, no body, no model run) at 1 client: %.0f req/s,"
                        + " p50 %.1f us, p99 %.1f us: the host's own round trip%n", health.throughput(),
                health.latency().p50(), health.latency().p99());
        double overhead = cell(cells, "iris-clf", 1).p50OverheadMicros();
        double ratio = cell(cells, HEAVY, 8).throughputRatio();
        List<Report.Target> targets = List.of(
                new Report.Target("iris-clf p50 overhead at 1 client", "<= 150 us", overhead, "us", overhead <= 150),
                new Report.Target("heavy throughput HTTP / in-process at 8 clients", ">= 0.80x", ratio, "x",
                        ratio >= 0.8));
        System.out.println();
        System.out.println("targets:");
        targets.forEach(t -> System.out.println(t.line()));
        if (!errors.isEmpty()) {
            System.out.println("HTTP errors (first few): " + errors);
        }
        Report.writeJson(project, "p1-serving-overhead", new Result("P1 serving overhead",
                OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).toString(), machine, rerun,
                "raw-socket HTTP/1.1 keep-alive client (one connection per client thread, TCP_NODELAY)",
                hostWarmup.toMillis() / 1000.0, warmup.toMillis() / 1000.0, measure.toMillis() / 1000.0, cells,
                health, targets, errors));
    }

    /** The host's JIT keeps compiling for 15-20 s of load; a few seconds per cell would measure the compiler. */
    private void warmUp(ChildHost host, List<Subject> subjects, String key) {
        System.out.printf("  warming the host up: %d s of 8-client load, split over the models ...%n",
                hostWarmup.toSeconds());
        for (Subject s : subjects) {
            byte[] request = predict(s, key);
            Load load = Load.start(8, 0, i -> HttpConnection.call(host.port(), request), Load.Listener.NONE);
            ChildHost.sleep(hostWarmup.dividedBy(subjects.size()));
            load.stop();
        }
    }

    /** Measures one side of a cell; again (up to {@link CpuMonitor#ATTEMPTS} times) when other processes interfered. */
    private Side measure(int clients, IntFunction<Load.Call> calls, ChildHost host, List<String> errors) {
        Side side = null;
        for (int attempt = 1; attempt <= CpuMonitor.ATTEMPTS; attempt++) {
            side = measureOnce(clients, calls, host, errors);
            if (!side.cpu().contended()) {
                break;
            }
            System.out.printf("  other processes used %.2f cores during the measurement; %s%n", side.cpu().others(),
                    attempt < CpuMonitor.ATTEMPTS ? "measuring again" : "keeping it (flagged)");
        }
        return side;
    }

    private Side measureOnce(int clients, IntFunction<Load.Call> calls, ChildHost host, List<String> errors) {
        CpuMonitor.awaitQuiet(0.3, 120);
        Load load = Load.start(clients, 1, calls, Load.Listener.NONE);
        ChildHost.sleep(warmup);
        load.phase(0);
        CpuMonitor cpu = CpuMonitor.start(host.pid());
        ChildHost.sleep(measure);
        CpuMonitor.Use use = cpu.stop();
        Load.Phase phase = load.stop().get(0);
        if (errors != null) {
            errors.addAll(load.sampleErrors());
        }
        return new Side(phase.requests(), phase.failures(), phase.seconds(), phase.throughput(), phase.latency(), use);
    }

    /** As the server does per request: a fresh input tensor, one run, every output copied out. */
    private static Load.Call inProcessCall(OrtEnvironment env, OrtSession session, float[] row) {
        String input = session.getInputNames().iterator().next();
        long[] shape = {1, row.length};
        return () -> {
            try (OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(row), shape);
                 OrtSession.Result result = session.run(Map.of(input, tensor))) {
                for (Map.Entry<String, OnnxValue> output : result) {
                    output.getValue().getValue();
                }
            }
            return null;
        };
    }

    /** The app's session options: one intra-op and one inter-op thread, all graph optimizations. */
    static OrtSession session(OrtEnvironment env, byte[] onnx) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            OrtSession session = env.createSession(onnx, options);
            TensorInfo input = (TensorInfo) session.getInputInfo().values().iterator().next().getInfo();
            if (input.getShape().length != 2) {
                session.close();
                throw new IllegalStateException("expected a [N, features] input, found " + input);
            }
            return session;
        }
    }

    private static Subject subject(String model, byte[] onnx, float[] row) {
        StringJoiner values = new StringJoiner(",", "{\"instances\":[[", "]]}");
        for (float v : row) {
            values.add(Float.toString(v));
        }
        return new Subject(model, onnx, row, values.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] predict(Subject s, String key) {
        return HttpConnection.request("POST", "/api/predict?model=" + s.model(),
                Map.of("x-functions-key", key, "Content-Type", "application/json"), s.body());
    }

    private static float[] seededRow(int width, long seed) {
        Random random = new Random(seed);
        float[] row = new float[width];
        for (int i = 0; i < width; i++) {
            row[i] = random.nextFloat() * 2 - 1;
        }
        return row;
    }

    private static Cell cell(List<Cell> cells, String model, int clients) {
        return cells.stream().filter(c -> c.model().equals(model) && c.clients() == clients).findFirst()
                .orElseThrow();
    }

    private static void print(List<Cell> cells) {
        System.out.println();
        Report.Table table = new Report.Table("model", "clients", "in-proc req/s", "HTTP req/s", "ratio",
                "in-proc p50 us", "HTTP p50 us", "overhead p50 us", "in-proc p99 us", "HTTP p99 us", "HTTP failed", "others' cores");
        for (Cell c : cells) {
            table.row(c.model(), c.clients(), Report.fmt(c.inProcess().throughput(), 0),
                    Report.fmt(c.http().throughput(), 0), Report.fmt(c.throughputRatio(), 2) + "x",
                    Report.fmt(c.inProcess().latency().p50(), 1), Report.fmt(c.http().latency().p50(), 1),
                    Report.fmt(c.p50OverheadMicros(), 1), Report.fmt(c.inProcess().latency().p99(), 1),
                    Report.fmt(c.http().latency().p99(), 1), c.http().failures(),
                    Report.fmt(Math.max(c.inProcess().cpu().others(), c.http().cpu().others()), 2));
        }
        table.print();
    }
}

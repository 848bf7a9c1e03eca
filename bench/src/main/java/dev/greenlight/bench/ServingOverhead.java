package dev.greenlight.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.greenlight.app.Greenlight;
import dev.greenlight.config.Settings;
import dev.greenlight.demo.DemoModels;
import dev.greenlight.demo.OnnxGraphs;
import dev.greenlight.serving.ModelAnswer;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
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
 * P1, serving overhead: the same model on the same input, called three ways: in-process through
 * ONNX Runtime; through the app's prediction service in-process ({@code Predictions.predict} on
 * the JSON body, answer written as JSON, no HTTP); and through {@code POST /api/predict} on the
 * local host running as its own process. For each model and client count: throughput, p50 and
 * p99 of each, the HTTP/in-process ratio and the p50 difference, split into what the app's JSON
 * and validation cost and what the host's HTTP round trip costs.
 */
final class ServingOverhead {
    private static final String HEAVY = "heavy";
    private static final int[] CLIENTS = {1, 8};
    private static final float[] IRIS_ROW = {5.1f, 3.5f, 1.4f, 0.2f};
    /** How much longer than {@code --measure} a side may take to find its clean seconds. */
    private static final int MAX_STRETCH = 10;

    /**
     * One measured side of a cell: the clean seconds only (no other process busy), how many
     * seconds were left out, and the CPU use over the clean ones.
     */
    record Side(long requests, long failures, double seconds, double throughput, LatencyRecorder.Summary latency,
                int rejectedSeconds, CpuMonitor.Use cpu) {
    }

    record Cell(String model, int clients, Side inProcess, Side app, Side http, double throughputRatio,
                double p50OverheadMicros) {
        /** What the app adds in-process: JSON parsing and writing, validation, tensor building. */
        double appP50Micros() {
            return app.latency().p50() - inProcess.latency().p50();
        }

        /** What the host and the network add on top of the app. */
        double hostP50Micros() {
            return http.latency().p50() - app.latency().p50();
        }
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
            try (ChildHost host = ChildHost.spawn(spec); Greenlight app = inProcessApp(data)) {
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
                            String body = new String(s.body(), StandardCharsets.UTF_8);
                            Side inApp = measure(clients, i -> appCall(app, s.model(), body), host, null);
                            byte[] request = predict(s, key);
                            Side http = measure(clients, i -> HttpConnection.call(host.port(), request), host, errors);
                            host.requireAlive();
                            Cell cell = new Cell(s.model(), clients, inProcess, inApp, http,
                                    http.throughput() / inProcess.throughput(),
                                    http.latency().p50() - inProcess.latency().p50());
                            cells.add(cell);
                            System.out.printf("  measured %-8s %d client(s): in-process %.0f/s, app %.0f/s, HTTP %.0f/s"
                                            + " (%s)%n", s.model(), clients, inProcess.throughput(), inApp.throughput(),
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
            host.requireAlive();
        }
    }

    /**
     * Measures one side of a cell: warm-up, then one-second slices until {@code --measure}
     * seconds were clean, giving up after ten times as long (then the clean ones, or all, count).
     */
    private Side measure(int clients, IntFunction<Load.Call> calls, ChildHost host, List<String> errors) {
        CpuMonitor.awaitQuiet(0.2, 300);
        int seconds = (int) Math.max(1, measure.toSeconds());
        Load load = Load.start(clients, seconds * MAX_STRETCH, calls, Load.Listener.NONE);
        ChildHost.sleep(warmup);
        Slicer.Slices slices = Slicer.collect(load, host.pid(), 0, load.phases() - 1, seconds);
        load.stop();
        if (errors != null) {
            errors.addAll(load.sampleErrors());
        }
        boolean anyClean = !slices.clean().isEmpty();
        Load.Phase phase = load.combine(anyClean ? slices.clean() : slices.all());
        if (slices.rejected() > 0) {
            System.out.printf("  (%d s left out: other processes were busy%s)%n", slices.rejected(),
                    slices.clean().size() < seconds ? "; only " + slices.clean().size() + " s clean" : "");
        }
        return new Side(phase.requests(), phase.failures(), phase.seconds(), phase.throughput(), phase.latency(),
                slices.rejected(), anyClean ? slices.cleanCpu() : slices.allCpu());
    }

    /**
     * The app's own composition root in this JVM, on the same registry and store as the host (its
     * own artifact cache), so its prediction service can be called without HTTP.
     */
    private static Greenlight inProcessApp(DataFolder data) {
        Settings settings = Settings.from(Map.of("GREENLIGHT_MODELS", "iris-clf," + HEAVY,
                "GREENLIGHT_REGISTRY", data.dir().resolve("registry").toString(),
                "GREENLIGHT_STORE", data.dir().resolve("store").toString(),
                "GREENLIGHT_CACHE", data.dir().resolve("bench-cache").toString()));
        return new Greenlight(settings, Clock.systemUTC()).start();
    }

    /** What the Predict function does between the host's body string and the host's reply. */
    private static Load.Call appCall(Greenlight app, String model, String body) {
        return () -> {
            ModelAnswer answer = app.predictions().predict(model, body);
            answer.body().toString();
            return answer.version();
        };
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
        System.out.println("throughput (requests per second):");
        Report.Table throughput = new Report.Table("model", "clients", "in-process", "app, no HTTP", "HTTP",
                "HTTP / in-process", "HTTP failed", "s left out");
        for (Cell c : cells) {
            throughput.row(c.model(), c.clients(), Report.fmt(c.inProcess().throughput(), 0),
                    Report.fmt(c.app().throughput(), 0), Report.fmt(c.http().throughput(), 0),
                    Report.fmt(c.throughputRatio(), 2) + "x", c.http().failures(),
                    c.inProcess().rejectedSeconds() + c.app().rejectedSeconds() + c.http().rejectedSeconds());
        }
        throughput.print();
        System.out.println();
        System.out.println("latency (microseconds); overhead = HTTP p50 - in-process p50 = app's JSON + host's HTTP:");
        Report.Table latency = new Report.Table("model", "clients", "in-proc p50", "in-proc p99", "app p50", "app p99",
                "HTTP p50", "HTTP p99", "overhead p50", "app JSON p50", "host HTTP p50");
        for (Cell c : cells) {
            latency.row(c.model(), c.clients(), Report.fmt(c.inProcess().latency().p50(), 1),
                    Report.fmt(c.inProcess().latency().p99(), 1), Report.fmt(c.app().latency().p50(), 1),
                    Report.fmt(c.app().latency().p99(), 1), Report.fmt(c.http().latency().p50(), 1),
                    Report.fmt(c.http().latency().p99(), 1), Report.fmt(c.p50OverheadMicros(), 1),
                    Report.fmt(c.appP50Micros(), 1), Report.fmt(c.hostP50Micros(), 1));
        }
        latency.print();
    }
}

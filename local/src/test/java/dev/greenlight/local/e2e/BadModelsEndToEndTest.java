package dev.greenlight.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.greenlight.demo.DemoModels;
import dev.greenlight.demo.OnnxGraphs;
import dev.greenlight.events.EventScope;
import dev.greenlight.registry.LocalModelRegistry;
import dev.greenlight.registry.ModelVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.assertj.core.api.SoftAssertions;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The reliability suite's bad models, through the packaged app on the local host: while a load of
 * predictions runs against the baseline, candidates that are corrupt, truncated, empty, of another
 * signature, answering NaN, failing at run time or over {@code GREENLIGHT_MAX_MODEL_BYTES} are
 * registered with a metric that would pass, and each is rejected with a reason naming what is
 * wrong, while the baseline keeps answering every request.
 */
class BadModelsEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_MODEL_BYTES = 64 * 1024;
    private static final List<String> IRIS = List.of("Iris-setosa", "Iris-versicolor", "Iris-virginica");
    /** A metric far over the floor and the baseline's 0.8857: only the artifact can reject the candidate. */
    private static final Map<String, String> GOOD_METRICS = Map.of("f1", "0.99", "accuracy", "0.99");

    private RunningApp app;
    private Load load;

    @AfterEach
    void stop() {
        if (load != null) {
            load.close();
        }
        if (app != null) {
            app.close();
        }
    }

    /** One kind of bad model, and what its rejection must say. */
    private record Bad(String kind, byte[] bytes, String reason) {
    }

    private static List<Bad> badModels() {
        byte[] good = DemoModels.bytes("iris-clf-2.onnx");
        byte[] noise = new byte[4096];
        new Random(20261203L).nextBytes(noise);
        return List.of(
                new Bad("corrupt bytes", noise, "the artifact is corrupt, not an ONNX model"),
                new Bad("truncated", Arrays.copyOf(good, good.length / 2), "the artifact is truncated"),
                new Bad("zero bytes", new byte[0], "the artifact is empty (0 bytes)"),
                new Bad("wrong signature", OnnxGraphs.classifier(5, 3, 1L, IRIS), "failed signature"),
                new Bad("outputs NaN", OnnxGraphs.nanOutput(4, 3, IRIS), "answered NaN in output 'probabilities'"),
                new Bad("fails at run time", OnnxGraphs.failsAtRunTime(4, 3, IRIS),
                        "the smoke inference (neutral inputs: zeros) failed: "),
                new Bad("over the size limit", OnnxGraphs.padded(good, (int) MAX_MODEL_BYTES),
                        "over GREENLIGHT_MAX_MODEL_BYTES (" + MAX_MODEL_BYTES + ")"));
    }

    @Test
    void every_bad_model_is_rejected_with_what_is_wrong_while_a_load_on_the_baseline_sees_no_failure()
            throws IOException {
        app = new RunningApp(Map.of("GREENLIGHT_MAX_MODEL_BYTES", "64KiB"));
        load = Load.start(app, 2);
        Map<String, Integer> rejected = new LinkedHashMap<>();
        List<String> reasons = new ArrayList<>();

        SoftAssertions softly = new SoftAssertions(); // every kind is tried, and every miss reported
        for (Bad bad : badModels()) {
            long servedBefore = load.served.get();
            ModelVersion version = register(bad.bytes());

            HttpResponse<String> delivery = deliver(registered("bad-" + version.version(), version.version()));

            softly.assertThat(delivery.statusCode()).as(bad.kind()).isEqualTo(202);
            JsonNode decision = decisionOf(version.version());
            String outcome = decision.path("outcome").asText();
            softly.assertThat(outcome).as(bad.kind() + ": " + decision).isEqualTo("REJECTED");
            softly.assertThat(decision.path("reason").asText()).as(bad.kind()).contains(bad.reason());
            softly.assertThat(app.versionServed()).as("serving after " + bad.kind()).isEqualTo("1");
            load.awaitServedBeyond(servedBefore + 20); // the load kept running through this candidate
            if (outcome.equals("REJECTED")) {
                rejected.merge(bad.kind(), 1, Integer::sum);
            }
            reasons.add(bad.kind() + " -> " + outcome + ": " + decision.path("reason").asText());
        }
        load.close();
        reasons.forEach(reason -> System.out.println("  " + reason));
        softly.assertAll();

        assertThat(rejected).hasSize(badModels().size());
        assertThat(load.failures()).as("failed requests").isEmpty();
        assertThat(load.served.get()).isPositive();
        assertThat(status().path("version").asText()).isEqualTo("1");
        System.out.printf("bad models: %d requests served during the run, %d failed; rejected per kind: %s%n",
                load.served.get(), load.failures().size(), rejected);
    }

    @Test
    void a_forced_promotion_of_a_model_that_fails_at_run_time_moves_the_pointer_but_the_baseline_keeps_serving()
            throws IOException {
        app = new RunningApp(Map.of());
        load = Load.start(app, 2);
        ModelVersion broken = register(OnnxGraphs.failsAtRunTime(4, 3, IRIS));
        long servedBefore = load.served.get();

        HttpResponse<String> forced = app.post("/api/promote", "{\"model\": \"iris-clf\", \"version\": \""
                        + broken.version() + "\", \"force\": true}",
                "x-functions-key", app.host.keys().adminKey(), "Content-Type", "application/json");

        // Today: the operator's word wins at the gate (the failed smoke check is recorded, the
        // decision says forced) and the pointer names the broken version; the serving cache
        // refuses to swap to a model whose smoke run fails, keeps version 1 and says why in Status.
        assertThat(forced.statusCode()).as(forced.body()).isEqualTo(200);
        JsonNode decision = JSON.readTree(forced.body());
        assertThat(decision.path("outcome").asText()).isEqualTo("PROMOTED");
        assertThat(decision.toString()).contains("indices element out of data bounds");
        load.awaitServedBeyond(servedBefore + 50);
        JsonNode status = status();
        assertThat(status.path("ledger").path("baseline").asText()).as("the ledger's baseline")
                .isEqualTo(broken.version());
        assertThat(status.path("version").asText()).as("the version serving").isEqualTo("1");
        assertThat(status.path("lastLoadError").toString()).contains(broken.version(), "out of data bounds");
        assertThat(app.versionServed()).isEqualTo("1");
        load.close();

        assertThat(load.failures()).as("failed requests").isEmpty();
        System.out.printf("forced promotion of a model failing at run time: pointer -> %s, serving %s; %d requests"
                        + " served, %d failed%n", broken.version(), status.path("version").asText(), load.served.get(),
                load.failures().size());
    }

    /** Predict requests from a few threads against the default model, every answer counted. */
    private static final class Load implements AutoCloseable {
        private static final String BODY = "{\"instances\": [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3]]}";
        final AtomicLong served = new AtomicLong();
        private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final ExecutorService threads;
        private final List<Future<?>> workers = new ArrayList<>();

        private Load(int clients) {
            this.threads = Executors.newFixedThreadPool(clients);
        }

        static Load start(RunningApp app, int clients) {
            Load load = new Load(clients);
            for (int i = 0; i < clients; i++) {
                load.workers.add(load.threads.submit(() -> load.run(app)));
            }
            load.awaitServedBeyond(10);
            return load;
        }

        private void run(RunningApp app) {
            while (running.get()) {
                try {
                    HttpResponse<String> response = app.postWithKey("/api/predict", BODY);
                    String version = response.headers().firstValue("x-model-version").orElse("none");
                    if (response.statusCode() == 200 && version.equals("1")) {
                        served.incrementAndGet();
                    } else {
                        failures.add(response.statusCode() + " from version " + version + ": " + response.body());
                    }
                } catch (RuntimeException e) {
                    failures.add(e.toString());
                }
            }
        }

        void awaitServedBeyond(long count) {
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
                    .until(() -> served.get() > count || !failures.isEmpty());
        }

        List<String> failures() {
            return List.copyOf(failures);
        }

        @Override
        public void close() {
            if (!running.getAndSet(false)) {
                return;
            }
            for (Future<?> worker : workers) {
                try {
                    worker.get(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    failures.add("load thread: " + e);
                }
            }
            threads.shutdown();
        }
    }

    private ModelVersion register(byte[] bytes) throws IOException {
        Path file = Files.write(app.data.resolve("upload-" + System.nanoTime() + ".onnx"), bytes);
        return new LocalModelRegistry(Path.of(app.settings.get("GREENLIGHT_REGISTRY")))
                .register("iris-clf", file, GOOD_METRICS, Map.of("dynamic", "true"), null);
    }

    private HttpResponse<String> deliver(String event) {
        return app.post("/runtime/webhooks/eventgrid?functionName=OnModelRegistered&code=" + app.host.keys().eventGridKey(),
                event, "aeg-event-type", "Notification", "Content-Type", "application/json");
    }

    private static String registered(String id, String version) {
        return """
                [{"id": "%s", "topic": "%s", "subject": "models/iris-clf:%s",
                  "eventType": "Microsoft.MachineLearningServices.ModelRegistered", "eventTime": "2026-12-03T00:00:00Z",
                  "data": {"modelName": "iris-clf", "modelVersion": "%s"}, "dataVersion": "2", "metadataVersion": "1"}]"""
                .formatted(id, EventScope.LOCAL_TOPIC, version, version);
    }

    private JsonNode decisionOf(String version) throws IOException {
        for (JsonNode decision : JSON.readTree(app.getWithKey("/api/decisions?model=iris-clf&limit=50").body())
                .path("decisions")) {
            if (version.equals(decision.path("version").asText())) {
                return decision;
            }
        }
        throw new AssertionError("no decision for version " + version);
    }

    private JsonNode status() {
        try {
            return JSON.readTree(app.getWithKey("/api/status").body()).path("models").get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

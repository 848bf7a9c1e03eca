package dev.greenlight.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.greenlight.demo.DemoModels;
import dev.greenlight.errors.Unavailable;
import dev.greenlight.registry.ModelRegistry;
import dev.greenlight.registry.ModelVersion;
import dev.greenlight.store.ArtifactCache;
import dev.greenlight.store.Pointer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCacheTest {
    private static final int SWAPS = 200;
    private static final String ROW = "{\"instances\": [[5.1, 3.5, 1.4, 0.2]]}";

    @TempDir
    Path dir;
    ServingFixture fixture;
    Predictions predictions;

    @BeforeEach
    void setUp() {
        fixture = new ServingFixture(dir, "iris-clf");
        predictions = new Predictions(fixture.cache);
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    @Test
    void swaps_to_the_new_version_when_the_pointer_changes() throws Exception {
        fixture.serve("iris-clf", DemoModels.bytes("iris-clf-1.onnx"));
        ModelVersion v2 = fixture.register("iris-clf", DemoModels.bytes("iris-clf-2.onnx"));

        fixture.point(v2);
        fixture.cache.refresh("iris-clf").get(30, TimeUnit.SECONDS);

        assertThat(predictions.predict(null, ROW).version()).isEqualTo("2");
        assertThat(fixture.cache.status().get(0).serving().orElseThrow().generation()).isEqualTo(2);
    }

    @Test
    void a_corrupt_artifact_is_refused_and_the_old_version_keeps_serving() throws Exception {
        fixture.serve("iris-clf", DemoModels.bytes("iris-clf-1.onnx"));
        ModelVersion corrupt = fixture.register("iris-clf", "not an onnx model".getBytes());

        fixture.point(corrupt);
        fixture.cache.refresh("iris-clf").get(30, TimeUnit.SECONDS);

        assertThat(predictions.predict(null, ROW).version()).isEqualTo("1");
        ModelCache.LoadFailure failure = fixture.cache.status().get(0).lastFailure().orElseThrow();
        assertThat(failure.version()).isEqualTo("2");
        assertThat(failure.reason()).isNotBlank();
    }

    @Test
    void a_truncated_artifact_fails_its_digest_check_and_is_never_loaded() throws Exception {
        fixture.serve("iris-clf", DemoModels.bytes("iris-clf-1.onnx"));
        ModelVersion v2 = fixture.register("iris-clf", DemoModels.bytes("iris-clf-2.onnx"));
        Path stored = dir.resolve("registry/iris-clf/2/model.onnx");
        byte[] whole = Files.readAllBytes(stored);
        Files.write(stored, java.util.Arrays.copyOf(whole, whole.length / 2));

        fixture.point(v2);
        fixture.cache.refresh("iris-clf").get(30, TimeUnit.SECONDS);

        assertThat(predictions.predict(null, ROW).version()).isEqualTo("1");
        assertThat(fixture.cache.status().get(0).lastFailure().orElseThrow().reason()).contains("digest mismatch");
    }

    @Test
    void reports_why_nothing_serves_when_a_model_has_no_pointer() {
        assertThatThrownBy(() -> predictions.predict(null, ROW))
                .isInstanceOf(Unavailable.class)
                .hasMessageContaining("no baseline pointer");
        assertThat(fixture.cache.ready()).isFalse();
    }

    @Test
    void an_in_flight_request_finishes_on_the_old_session_which_closes_exactly_once_after() throws Exception {
        fixture.serve("iris-clf", DemoModels.bytes("iris-clf-1.onnx"));
        LoadedModel old = fixture.cache.status().get(0).serving().orElseThrow();
        ModelVersion v2 = fixture.register("iris-clf", DemoModels.bytes("iris-clf-2.onnx"));
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch swapped = new CountDownLatch(1);
        ExecutorService client = Executors.newSingleThreadExecutor();
        try {
            Future<String> inFlight = client.submit(() -> fixture.cache.withModel("iris-clf", loaded -> {
                inside.countDown();
                await(swapped);
                // The swap happened while this request held its lease: its session is still open.
                assertThat(loaded.closeCount()).isZero();
                return Predictions.run(loaded, java.util.Map.of("features",
                        dev.greenlight.json.Json.MAPPER.createArrayNode().add(
                                dev.greenlight.json.Json.MAPPER.createArrayNode().add(5.1).add(3.5).add(1.4).add(0.2))))
                        .get(0).name() + "@" + loaded.version();
            }));
            await(inside);
            fixture.point(v2);
            fixture.cache.refresh("iris-clf").get(30, TimeUnit.SECONDS);
            assertThat(predictions.predict(null, ROW).version()).isEqualTo("2");
            assertThat(old.closeCount()).isZero();
            swapped.countDown();

            assertThat(inFlight.get(30, TimeUnit.SECONDS)).isEqualTo("probabilities@1");
            assertThat(old.closeCount()).isEqualTo(1);
        } finally {
            client.shutdownNow();
        }
    }

    @Test
    void swaps_under_load_fail_no_request_and_close_every_retired_session_once() throws Exception {
        ModelVersion v1 = fixture.serve("iris-clf", DemoModels.bytes("iris-clf-1.onnx"));
        ModelVersion v2 = fixture.register("iris-clf", DemoModels.bytes("iris-clf-2.onnx"));
        Set<LoadedModel> seen = ConcurrentHashMap.newKeySet();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger served = new AtomicInteger();
        List<Throwable> failures = new ArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Future<?>> futures = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            futures.add(clients.submit(() -> {
                while (running.get()) {
                    fixture.cache.withModel("iris-clf", loaded -> {
                        seen.add(loaded);
                        return Predictions.run(loaded, java.util.Map.of("features",
                                dev.greenlight.json.Json.MAPPER.createArrayNode().add(
                                        dev.greenlight.json.Json.MAPPER.createArrayNode().add(5.1).add(3.5).add(1.4).add(0.2))));
                    });
                    served.incrementAndGet();
                }
                return null;
            }));
        }
        for (int i = 0; i < 20; i++) {
            ModelVersion target = i % 2 == 0 ? v2 : v1;
            var current = fixture.pointers.read("iris-clf").orElseThrow();
            fixture.pointers.write(new Pointer("iris-clf", target.version(), target.sha256(),
                    current.value().generation() + 1, Instant.now()), current.etag());
            fixture.cache.refresh("iris-clf").get(30, TimeUnit.SECONDS);
        }
        running.set(false);
        for (Future<?> f : futures) {
            try {
                f.get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                failures.add(e);
            }
        }
        clients.shutdownNow();

        assertThat(failures).isEmpty();
        assertThat(served.get()).isPositive();
        LoadedModel serving = fixture.cache.status().get(0).serving().orElseThrow();
        assertThat(serving.generation()).isEqualTo(21);
        for (LoadedModel model : seen) {
            assertThat(model.closeCount()).isEqualTo(model == serving ? 0 : 1);
        }
    }

    @Test
    void a_status_read_during_swaps_never_mixes_two_states() throws Exception {
        ModelVersion v1 = fixture.serve("iris-clf", DemoModels.bytes("iris-clf-1.onnx"));
        ModelVersion v2 = fixture.register("iris-clf", DemoModels.bytes("iris-clf-2.onnx"));
        // Every swap below loads one version at the next generation, so in any one state the
        // number of loads equals the serving generation, and the generation names the version.
        Map<Long, ModelVersion> byGeneration = new ConcurrentHashMap<>(Map.of(1L, v1));
        StatusReport report = new StatusReport(fixture.cache, Instant.now());
        AtomicBoolean running = new AtomicBoolean(true);
        List<String> mixes = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger reads = new AtomicInteger();
        ExecutorService reader = Executors.newSingleThreadExecutor();
        Future<?> reading = reader.submit(() -> {
            while (running.get()) {
                // What the Status route renders, and the cache's own view of it, read back to back.
                var model = report.status().path("models").path(0);
                if (!belongTogether(byGeneration, model.path("generation").asLong(), model.path("loads").asLong(),
                        model.path("version").asText(), model.path("sha256").asText())) {
                    mixes.add(model.toString());
                }
                ModelCache.ModelStatus status = fixture.cache.status().get(0);
                LoadedModel serving = status.serving().orElseThrow();
                if (!belongTogether(byGeneration, serving.generation(), status.loads(), serving.version(),
                        serving.sha256())) {
                    mixes.add("generation " + serving.generation() + ", loads " + status.loads() + ", version "
                            + serving.version());
                }
                reads.incrementAndGet();
            }
        });
        try {
            for (int generation = 2; generation <= SWAPS + 1; generation++) {
                ModelVersion target = generation % 2 == 0 ? v2 : v1;
                byGeneration.put((long) generation, target);
                var current = fixture.pointers.read("iris-clf").orElseThrow();
                fixture.pointers.write(new Pointer("iris-clf", target.version(), target.sha256(), generation,
                        Instant.now()), current.etag());
                fixture.cache.refresh("iris-clf").get(30, TimeUnit.SECONDS);
            }
        } finally {
            running.set(false);
            reading.get(30, TimeUnit.SECONDS);
            reader.shutdownNow();
        }

        assertThat(reads.get()).isPositive();
        assertThat(mixes).isEmpty();
    }

    @Test
    void status_names_the_version_being_loaded_while_the_old_one_serves() throws Exception {
        ModelVersion v1 = fixture.serve("iris-clf", DemoModels.bytes("iris-clf-1.onnx"));
        ModelVersion v2 = fixture.register("iris-clf", DemoModels.bytes("iris-clf-2.onnx"));
        CountDownLatch opened = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ModelRegistry slow = new ModelRegistry() {
            @Override
            public List<ModelVersion> versions(String model) {
                return fixture.registry.versions(model);
            }

            @Override
            public Optional<ModelVersion> find(String model, String version) {
                return fixture.registry.find(model, version);
            }

            @Override
            public InputStream openArtifact(ModelVersion version) throws IOException {
                if (version.version().equals(v2.version())) {
                    opened.countDown();
                    await(release);
                }
                return fixture.registry.openArtifact(version);
            }

            @Override
            public ModelVersion setTags(String model, String version, Map<String, String> tags) throws IOException {
                return fixture.registry.setTags(model, version, tags);
            }
        };
        ExecutorService loads = Executors.newSingleThreadExecutor();
        try (ModelCache cache = new ModelCache(List.of("iris-clf"), fixture.pointers, slow,
                new ArtifactCache(dir.resolve("other-cache")), new ModelLoader(1, Clock.systemUTC()), loads,
                Clock.systemUTC(), Duration.ofSeconds(30))) {
            cache.refresh("iris-clf").get(30, TimeUnit.SECONDS);
            fixture.point(v2);
            var swap = cache.refresh("iris-clf");
            await(opened);

            var during = new StatusReport(cache, Instant.now()).status().path("models").path(0);
            release.countDown();
            swap.get(30, TimeUnit.SECONDS);
            var after = new StatusReport(cache, Instant.now()).status().path("models").path(0);

            assertThat(during.path("version").asText()).isEqualTo(v1.version());
            assertThat(during.path("loading").asText()).isEqualTo(v2.version());
            assertThat(after.path("version").asText()).isEqualTo(v2.version());
            assertThat(after.has("loading")).isFalse();
        } finally {
            release.countDown();
            loads.shutdownNow();
        }
    }

    private static boolean belongTogether(Map<Long, ModelVersion> byGeneration, long generation, long loads,
                                          String version, String sha256) {
        ModelVersion expected = byGeneration.get(generation);
        return loads == generation && expected != null && expected.version().equals(version)
                && expected.sha256().equals(sha256);
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}

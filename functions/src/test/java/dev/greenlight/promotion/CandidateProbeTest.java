package dev.greenlight.promotion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.greenlight.demo.DemoManifest;
import dev.greenlight.demo.DemoModels;
import dev.greenlight.gate.Check;
import dev.greenlight.gate.Gate;
import dev.greenlight.gate.GatePolicy;
import dev.greenlight.registry.LocalModelRegistry;
import dev.greenlight.registry.ModelRegistry;
import dev.greenlight.registry.ModelVersion;
import dev.greenlight.serving.ModelLoader;
import dev.greenlight.store.ArtifactCache;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The probe on the real local registry and artifact cache, loading real ONNX files. */
class CandidateProbeTest {
    @TempDir
    Path dir;
    LocalModelRegistry registry;
    ModelLoader loader = new ModelLoader(1, Clock.systemUTC());

    @BeforeEach
    void setUp() {
        registry = new LocalModelRegistry(dir.resolve("registry"));
    }

    @Test
    void a_transient_fetch_failure_is_reported_once_and_the_next_probe_tries_again() throws IOException {
        ModelVersion v1 = register(DemoModels.bytes("iris-clf-1.onnx"));
        FailingFirst flaky = new FailingFirst(registry, 1);
        CandidateProbe probe = new CandidateProbe(flaky, new ArtifactCache(dir.resolve("cache")), loader, "");

        CandidateProbe.Probe first = probe.probe(v1);
        CandidateProbe.Probe second = probe.probe(v1);

        assertThat(first.candidate().loadError()).hasValueSatisfying(e -> assertThat(e).contains("registry is busy"));
        assertThat(first.failure()).contains(CandidateProbe.Failure.ARTIFACT_UNREACHABLE);
        assertThat(second.candidate().loadError()).isEmpty();
        assertThat(second.candidate().signature()).isPresent();
        assertThat(second.sha256()).contains(v1.sha256());
        assertThat(second.failure()).isEmpty();
    }

    @Test
    void a_version_that_does_not_load_is_loaded_again_on_the_next_probe() throws IOException {
        ModelVersion broken = register("not an onnx model".getBytes());
        FailingFirst counting = new FailingFirst(registry, 0);
        CandidateProbe probe = new CandidateProbe(counting, new ArtifactCache(dir.resolve("cache")), loader, "");

        CandidateProbe.Probe first = probe.probe(broken);
        CandidateProbe.Probe second = probe.probe(broken);

        assertThat(first.failure()).contains(CandidateProbe.Failure.DOES_NOT_LOAD);
        assertThat(first.artifactFetchable()).isTrue();
        assertThat(second.failure()).contains(CandidateProbe.Failure.DOES_NOT_LOAD);
        assertThat(counting.opens).hasValue(2);
    }

    @Test
    void a_success_is_remembered_and_neither_fetched_nor_loaded_again() throws IOException {
        ModelVersion v1 = register(DemoModels.bytes("iris-clf-1.onnx"));
        FailingFirst counting = new FailingFirst(registry, 0);
        CandidateProbe probe = new CandidateProbe(counting, new ArtifactCache(dir.resolve("cache")), loader, "");

        probe.probe(v1);
        CandidateProbe.Probe again = probe.probe(v1);

        assertThat(again.candidate().signature()).isPresent();
        assertThat(counting.opens).hasValue(1);
    }

    @Test
    void remembers_a_bounded_number_of_successes_least_recently_used_first_out() throws IOException {
        ModelVersion v1 = register(DemoModels.bytes("iris-clf-1.onnx"));
        ModelVersion v2 = register(DemoModels.bytes("iris-clf-2.onnx"));
        FailingFirst counting = new FailingFirst(registry, 0);
        CandidateProbe probe = new CandidateProbe(counting, new ArtifactCache(dir.resolve("cache")), loader, "", 1);

        probe.probe(v1);
        probe.probe(v2); // pushes v1 out
        probe.probe(v2);
        probe.probe(v1);

        assertThat(counting.opens).hasValue(3);
    }

    @Test
    void concurrent_probes_of_one_version_share_one_fetch_and_load() throws Exception {
        ModelVersion v1 = register(DemoModels.bytes("iris-clf-1.onnx"));
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger arrivals = new AtomicInteger();
        ModelRegistry slow = new FailingFirst(registry, 0) {
            @Override
            public InputStream openArtifact(ModelVersion version) throws IOException {
                if (arrivals.incrementAndGet() == 1) {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        throw new IOException(e);
                    }
                }
                return super.openArtifact(version);
            }
        };
        CandidateProbe probe = new CandidateProbe(slow, new ArtifactCache(dir.resolve("cache")), loader, "");
        ExecutorService callers = Executors.newFixedThreadPool(2);
        try {
            Future<CandidateProbe.Probe> first = callers.submit(() -> probe.probe(v1));
            await().atMost(Duration.ofSeconds(30)).until(() -> arrivals.get() == 1);
            AtomicReference<Thread> secondThread = new AtomicReference<>();
            Future<CandidateProbe.Probe> second = callers.submit(() -> {
                secondThread.set(Thread.currentThread());
                return probe.probe(v1);
            });
            // Either the second caller waits for the first one's load, or it opened the artifact itself.
            await().atMost(Duration.ofSeconds(30)).until(() -> arrivals.get() > 1 || (secondThread.get() != null
                    && secondThread.get().getState() == Thread.State.WAITING));
            release.countDown();

            assertThat(first.get(30, TimeUnit.SECONDS).candidate().signature()).isPresent();
            assertThat(second.get(30, TimeUnit.SECONDS).candidate().signature()).isPresent();
            assertThat(arrivals).hasValue(1);
        } finally {
            release.countDown();
            callers.shutdownNow();
        }
    }

    @Test
    void an_artifact_missing_from_the_registry_fails_even_when_this_instance_holds_its_digest() throws IOException {
        byte[] bytes = DemoModels.bytes("iris-clf-1.onnx");
        ModelVersion v1 = register(bytes);
        ModelVersion v2 = register(bytes); // the same file registered again: the same digest
        ArtifactCache cacheA = new ArtifactCache(dir.resolve("cache-a"));
        ArtifactCache cacheB = new ArtifactCache(dir.resolve("cache-b"));
        CandidateProbe probeA = new CandidateProbe(registry, cacheA, loader, "");
        CandidateProbe probeB = new CandidateProbe(registry, cacheB, loader, "");
        assertThat(probeA.probe(v1).failure()).isEmpty(); // instance A now holds the digest
        Files.delete(dir.resolve("registry/iris-clf/2/model.onnx"));

        CandidateProbe.Probe viaA = probeA.probe(v2);
        CandidateProbe.Probe viaB = probeB.probe(v2);

        assertThat(viaA.failure()).contains(CandidateProbe.Failure.ARTIFACT_MISSING);
        assertThat(viaA.artifactFetchable()).isFalse();
        assertThat(viaA.candidate().loadError()).hasValueSatisfying(e ->
                assertThat(e).contains("artifact of iris-clf:2 not found at "));
        assertThat(viaB.failure()).contains(CandidateProbe.Failure.ARTIFACT_MISSING);
        Gate.Verdict verdict = new Gate(GatePolicy.defaults()).judge(viaA.candidate(), Optional.empty());
        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.checks()).filteredOn(c -> c.name().equals("smoke")).singleElement()
                .extracting(Check::passed).isEqualTo(false);
    }

    @Test
    void an_artifact_whose_registry_bytes_changed_fails_its_digest_check_even_when_cached() throws IOException {
        ModelVersion v1 = register(DemoModels.bytes("iris-clf-1.onnx"));
        ArtifactCache cache = new ArtifactCache(dir.resolve("cache"));
        new CandidateProbe(registry, cache, loader, "").probe(v1);
        Files.write(dir.resolve("registry/iris-clf/1/model.onnx"), DemoModels.bytes("iris-clf-2.onnx"));

        CandidateProbe.Probe probed = new CandidateProbe(registry, cache, loader, "").probe(v1);

        assertThat(probed.failure()).contains(CandidateProbe.Failure.ARTIFACT_MISMATCH);
        assertThat(probed.candidate().loadError()).hasValueSatisfying(e -> assertThat(e).contains("digest mismatch"));
    }

    @Test
    void an_artifact_over_the_size_limit_is_too_large_not_fetchable_and_not_an_outage() throws IOException {
        byte[] bytes = DemoModels.bytes("iris-clf-1.onnx");
        ModelVersion v1 = register(bytes);
        CandidateProbe probe = new CandidateProbe(registry, new ArtifactCache(dir.resolve("cache"), bytes.length - 1),
                loader, "");

        CandidateProbe.Probe probed = probe.probe(v1);

        assertThat(probed.failure()).contains(CandidateProbe.Failure.ARTIFACT_TOO_LARGE);
        assertThat(probed.artifactFetchable()).isFalse();
        assertThat(probed.sha256()).contains(v1.sha256());
        assertThat(probed.candidate().loadError()).contains("the artifact of iris-clf:1 is more than "
                + (bytes.length - 1) + " bytes, over GREENLIGHT_MAX_MODEL_BYTES (" + (bytes.length - 1) + ")");
        assertThat(dir.resolve("cache/sha256").toFile().list((d, name) -> name.endsWith(".onnx"))).isEmpty();
    }

    @Test
    void a_probe_built_the_old_way_counts_a_load_error_as_does_not_load() {
        var candidate = new dev.greenlight.gate.Candidate("1", Map.of(), Optional.empty(), Optional.of("boom"));

        CandidateProbe.Probe probe = new CandidateProbe.Probe(candidate, Optional.empty());

        assertThat(probe.failure()).contains(CandidateProbe.Failure.DOES_NOT_LOAD);
    }

    private ModelVersion register(byte[] onnx) throws IOException {
        DemoManifest.Version demo = DemoModels.manifest().version(1);
        Path file = Files.createTempFile(dir, "model", ".onnx");
        Files.write(file, onnx);
        return registry.register("iris-clf", file, demo.properties(), Map.of("dynamic", "true"), null);
    }

    /** The local registry, whose artifact reads fail the first {@code failures} times, as in a brief outage. */
    private static class FailingFirst implements ModelRegistry {
        private final ModelRegistry delegate;
        private final AtomicInteger failuresLeft;
        final AtomicInteger opens = new AtomicInteger();

        FailingFirst(ModelRegistry delegate, int failures) {
            this.delegate = delegate;
            this.failuresLeft = new AtomicInteger(failures);
        }

        @Override
        public List<ModelVersion> versions(String model) {
            return delegate.versions(model);
        }

        @Override
        public Optional<ModelVersion> find(String model, String version) {
            return delegate.find(model, version);
        }

        @Override
        public InputStream openArtifact(ModelVersion version) throws IOException {
            opens.incrementAndGet();
            if (failuresLeft.getAndDecrement() > 0) {
                throw new IOException("registry is busy (503)");
            }
            return delegate.openArtifact(version);
        }

        @Override
        public ModelVersion setTags(String model, String version, Map<String, String> tags) throws IOException {
            return delegate.setTags(model, version, tags);
        }
    }
}

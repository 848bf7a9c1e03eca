package dev.greenlight.serving;

import dev.greenlight.registry.LocalModelRegistry;
import dev.greenlight.registry.ModelVersion;
import dev.greenlight.store.ArtifactCache;
import dev.greenlight.store.LocalDocumentStore;
import dev.greenlight.store.PointerStore;
import dev.greenlight.store.Pointer;
import dev.greenlight.store.Versioned;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** A real local registry, pointer store and model cache in a temporary folder. */
final class ServingFixture implements AutoCloseable {
    final LocalModelRegistry registry;
    final PointerStore pointers;
    final ModelCache cache;
    private final Path dir;
    private final ExecutorService loads = Executors.newFixedThreadPool(2);

    ServingFixture(Path dir, String... models) {
        this.dir = dir;
        this.registry = new LocalModelRegistry(dir.resolve("registry"));
        this.pointers = new PointerStore(new LocalDocumentStore(dir.resolve("store")));
        this.cache = new ModelCache(List.of(models), pointers, registry, new ArtifactCache(dir.resolve("cache")),
                new ModelLoader(1, Clock.systemUTC()), loads, Clock.systemUTC(), Duration.ofSeconds(30));
    }

    /** Registers {@code onnx} as the next version of {@code model}. */
    ModelVersion register(String model, byte[] onnx) throws IOException {
        Path file = Files.createTempFile(dir, model, ".onnx");
        Files.write(file, onnx);
        return registry.register(model, file, Map.of(), Map.of(), null);
    }

    /** Points the model's baseline at {@code version} (the next generation). */
    void point(ModelVersion version) {
        var current = pointers.read(version.model());
        long generation = current.map(v -> v.value().generation() + 1).orElse(1L);
        pointers.write(new Pointer(version.model(), version.version(), version.sha256(), generation,
                java.time.Instant.now()), current.map(Versioned::etag).orElse(null));
    }

    /** Registers, points and waits until the cache serves it. */
    ModelVersion serve(String model, byte[] onnx) throws Exception {
        ModelVersion version = register(model, onnx);
        point(version);
        cache.refresh(model).get(30, TimeUnit.SECONDS);
        return version;
    }

    @Override
    public void close() {
        cache.close();
        loads.shutdownNow();
    }
}

package dev.greenlight.bench;

import dev.greenlight.demo.DemoManifest;
import dev.greenlight.demo.DemoModels;
import dev.greenlight.registry.LocalModelRegistry;
import dev.greenlight.registry.ModelVersion;
import dev.greenlight.store.LocalDocumentStore;
import dev.greenlight.store.Pointer;
import dev.greenlight.store.PointerStore;
import dev.greenlight.store.Versioned;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * A data folder laid out as the local host's embedded default ({@code registry/}, {@code store/},
 * {@code cache/}), written with the app's own registry and pointer store.
 */
final class DataFolder {
    private static final Set<Path> CREATED = ConcurrentHashMap.newKeySet();

    private final Path dir;
    private final LocalModelRegistry registry;
    private final PointerStore pointers;

    DataFolder(Path dir) {
        try {
            this.dir = Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        this.registry = new LocalModelRegistry(dir.resolve("registry"));
        this.pointers = new PointerStore(new LocalDocumentStore(dir.resolve("store")));
    }

    Path dir() {
        return dir;
    }

    /** Registers a demo Iris version ({@code iris-clf-<n>.onnx}) with its recorded metrics. */
    ModelVersion registerDemo(int version) {
        DemoManifest manifest = DemoModels.manifest();
        DemoManifest.Version v = manifest.version(version);
        return register(manifest.model(), DemoModels.bytes(v.file()), v.properties(), v.tags());
    }

    ModelVersion register(String model, byte[] onnx, Map<String, String> properties, Map<String, String> tags) {
        try {
            Path file = Files.createTempFile(dir, model, ".onnx");
            try {
                Files.write(file, onnx);
                return registry.register(model, file, properties, tags, null);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot register " + model + " in " + dir, e);
        }
    }

    /** Makes {@code version} the baseline: the next generation, written against the current ETag. */
    void point(ModelVersion version) {
        Optional<Versioned<Pointer>> current = pointers.read(version.model());
        long generation = current.map(c -> c.value().generation() + 1).orElse(1L);
        pointers.write(new Pointer(version.model(), version.version(), version.sha256(), generation, Instant.now()),
                current.map(Versioned::etag).orElse(null));
    }

    /** A fresh folder under the temp dir for one benchmark run. */
    static Path tempRun(String name) {
        try {
            Path dir = Files.createTempDirectory("greenlight-bench-" + name + "-");
            CREATED.add(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes every folder {@link #tempRun} made when the JVM exits, also when it is interrupted. */
    static void deleteTempRunsOnExit() {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> CREATED.forEach(DataFolder::delete),
                "bench-delete-temp"));
    }

    /** Deletes a folder and everything in it; what cannot be deleted is left behind. */
    static void delete(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort: a temp folder
                }
            });
        } catch (IOException e) {
            // best effort: a temp folder
        }
    }
}

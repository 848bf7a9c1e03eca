package dev.greenlight.local.seed;

import dev.greenlight.demo.DemoManifest;
import dev.greenlight.demo.DemoModels;
import dev.greenlight.registry.LocalModelRegistry;
import dev.greenlight.registry.ModelVersion;
import dev.greenlight.store.LocalDocumentStore;
import dev.greenlight.store.PointerStore;
import dev.greenlight.store.Pointer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The embedded default: a local registry and store under one data folder, so the app serves
 * with no cloud at all. On first start it registers the demo model's first version and makes
 * it the baseline, and leaves every demo version's file under {@code demo/} for the walkthrough.
 */
public final class EmbeddedDefault {
    private static final Logger LOG = Logger.getLogger(EmbeddedDefault.class.getName());

    private final Path dataDir;

    public EmbeddedDefault(Path dataDir) {
        this.dataDir = dataDir.toAbsolutePath().normalize();
    }

    /** The settings of the embedded default; explicit settings override each of them. */
    public Map<String, String> settings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("GREENLIGHT_MODELS", DemoModels.manifest().model());
        settings.put("GREENLIGHT_REGISTRY", dataDir.resolve("registry").toString());
        settings.put("GREENLIGHT_STORE", dataDir.resolve("store").toString());
        settings.put("GREENLIGHT_CACHE", dataDir.resolve("cache").toString());
        settings.put("GREENLIGHT_SYNC_SCHEDULE", "0 */5 * * * *");
        return settings;
    }

    /**
     * Seeds the registry and store named in {@code settings} when they are this data folder's
     * and still empty; leaves anything already there alone.
     */
    public void seedIfEmpty(Map<String, String> settings) throws IOException {
        DemoManifest manifest = DemoModels.manifest();
        Path registryDir = Path.of(settings.get("GREENLIGHT_REGISTRY"));
        Path storeDir = Path.of(settings.get("GREENLIGHT_STORE"));
        if (!registryDir.toAbsolutePath().normalize().startsWith(dataDir)) {
            return; // someone else's registry: never write into it
        }
        Path demo = Files.createDirectories(dataDir.resolve("demo"));
        for (DemoManifest.Version v : manifest.versions()) {
            Path file = demo.resolve(v.file());
            if (!Files.exists(file)) {
                try (InputStream in = DemoModels.open(v.file())) {
                    Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        LocalModelRegistry registry = new LocalModelRegistry(registryDir);
        PointerStore pointers = new PointerStore(new LocalDocumentStore(storeDir));
        if (!registry.versions(manifest.model()).isEmpty() || pointers.read(manifest.model()).isPresent()) {
            return;
        }
        DemoManifest.Version first = manifest.versions().get(0);
        Map<String, String> tags = new LinkedHashMap<>(first.tags());
        tags.put(settings.getOrDefault("GREENLIGHT_BASELINE_TAG", "baseline"), "true");
        ModelVersion registered = registry.register(manifest.model(), demo.resolve(first.file()),
                first.properties(), tags, null);
        pointers.write(new Pointer(registered.model(), registered.version(), registered.sha256(), 1,
                Instant.now()), null);
        LOG.info(() -> "seeded " + dataDir + " with " + registered.model() + ":" + registered.version()
                + " as baseline (f1 " + first.properties().get("f1") + ")");
    }
}

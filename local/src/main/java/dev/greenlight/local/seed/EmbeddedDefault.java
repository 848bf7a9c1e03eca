package dev.greenlight.local.seed;

import dev.greenlight.app.Stores;
import dev.greenlight.config.Settings;
import dev.greenlight.demo.DemoManifest;
import dev.greenlight.demo.DemoModels;
import dev.greenlight.registry.LocalModelRegistry;
import dev.greenlight.registry.ModelVersion;
import dev.greenlight.registry.arm.AzureMlResource;
import dev.greenlight.store.PointerStore;
import dev.greenlight.store.Pointer;
import dev.greenlight.store.StoreConflict;
import dev.greenlight.store.StoreUnavailable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The embedded default: a local registry and store under one data folder, so the app serves
 * with no cloud at all. On first start it registers the demo model's first version and makes
 * it the baseline, and leaves every demo version's file under {@code demo/} for the walkthrough.
 * The baseline pointer goes into whichever store {@code GREENLIGHT_STORE} names (a Blob
 * container too), chosen exactly as the app chooses it.
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
     * Seeds the demo model when the registry named in {@code values} is this data folder's:
     * registers its first version as the baseline if the registry has none, and writes the
     * baseline pointer into the configured store if that store has none. Leaves a registry that
     * is not ours, and any pointer already there, alone.
     *
     * @throws dev.greenlight.config.SettingsException when the settings are invalid (as the app would say)
     */
    public void seedIfEmpty(Map<String, String> values) throws IOException {
        Settings settings = Settings.from(values);
        Optional<Path> registryDir = ourRegistry(settings.registry());
        if (registryDir.isEmpty()) {
            return; // someone else's registry: never write into it
        }
        DemoManifest manifest = DemoModels.manifest();
        Path demo = Files.createDirectories(dataDir.resolve("demo"));
        for (DemoManifest.Version v : manifest.versions()) {
            Path file = demo.resolve(v.file());
            if (!Files.exists(file)) {
                try (InputStream in = DemoModels.open(v.file())) {
                    Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        PointerStore pointers = new PointerStore(Stores.from(settings.store()));
        try {
            if (pointers.read(manifest.model()).isPresent()) {
                return;
            }
            LocalModelRegistry registry = new LocalModelRegistry(registryDir.get());
            Optional<ModelVersion> baseline = baseline(registry, manifest, demo, settings.baselineTag());
            if (baseline.isEmpty()) {
                return; // versions there, none marked baseline: the operator's to decide
            }
            ModelVersion b = baseline.get();
            pointers.write(new Pointer(b.model(), b.version(), b.sha256(), 1, Instant.now()), null);
            LOG.info(() -> "seeded " + dataDir + " with " + b.model() + ":" + b.version() + " as baseline (f1 "
                    + b.properties().get("f1") + ")");
        } catch (StoreConflict e) {
            LOG.info(() -> "the store got a baseline pointer for " + manifest.model() + " while seeding: kept it");
        } catch (StoreUnavailable e) {
            // The app reports the same outage itself (Health 503, Status names it); seeding waits for the next start.
            LOG.warning(() -> "could not seed the baseline pointer of " + manifest.model() + ": " + e.getMessage());
        }
    }

    /** The registry folder when GREENLIGHT_REGISTRY is a folder inside this data folder. */
    private Optional<Path> ourRegistry(String registry) {
        if (AzureMlResource.looksLikeResourceId(registry)) {
            return Optional.empty();
        }
        Path dir = Path.of(registry).toAbsolutePath().normalize();
        return dir.startsWith(dataDir) ? Optional.of(dir) : Optional.empty();
    }

    /**
     * The version to point at: the first demo version, registered now into an empty registry,
     * or the version already tagged as baseline (a store changed after the first start).
     */
    private static Optional<ModelVersion> baseline(LocalModelRegistry registry, DemoManifest manifest, Path demo,
                                                   String baselineTag) throws IOException {
        List<ModelVersion> versions = registry.versions(manifest.model());
        if (!versions.isEmpty()) {
            return versions.stream().filter(v -> v.tags().containsKey(baselineTag)).findFirst();
        }
        DemoManifest.Version first = manifest.versions().get(0);
        Map<String, String> tags = new LinkedHashMap<>(first.tags());
        tags.put(baselineTag, "true");
        return Optional.of(registry.register(manifest.model(), demo.resolve(first.file()), first.properties(), tags,
                null));
    }
}

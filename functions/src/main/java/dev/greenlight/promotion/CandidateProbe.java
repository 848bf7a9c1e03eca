package dev.greenlight.promotion;

import dev.greenlight.gate.Candidate;
import dev.greenlight.registry.ModelRegistry;
import dev.greenlight.registry.ModelVersion;
import dev.greenlight.serving.LoadedModel;
import dev.greenlight.serving.ModelLoader;
import dev.greenlight.serving.ModelSignature;
import dev.greenlight.store.ArtifactCache;
import java.io.FileNotFoundException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns a registered version into what the gate judges: its metrics (properties first, then
 * tags, under {@code GREENLIGHT_METRIC_PREFIX}) and, by fetching its artifact from the registry
 * and loading it into a real ONNX Runtime session and running the smoke inference, its signature
 * or the reason it failed.
 *
 * <p>The artifact is always read from the registry, even when this instance already holds a file
 * with the same digest: a version that passes is loaded by every instance, and the others can
 * only fetch it from the registry. Successes are remembered per (model, version, digest) in a
 * small LRU, so a re-decision after a lost race neither fetches nor loads again. Failures are not
 * remembered: a registry outage or a transient load error must not mark a version unloadable
 * until restart. Loads run outside any lock; concurrent probes of one version share one load.
 */
public final class CandidateProbe {
    /** Successes kept; an entry is a signature and a digest, so a few hundred cost little. */
    static final int REMEMBERED = 256;

    private final ModelRegistry registry;
    private final ArtifactCache artifacts;
    private final ModelLoader loader;
    private final String metricPrefix;
    private final Map<Key, Loaded> successes;
    private final Map<Key, CompletableFuture<Loaded>> inFlight = new ConcurrentHashMap<>();

    /** Why a probe failed; first of all, whether the registry could deliver the artifact at all. */
    public enum Failure {
        /** The registry has no artifact for this version (deleted, never uploaded). */
        ARTIFACT_MISSING,
        /** The registry could not be read (outage, access denied); trying again later may succeed. */
        ARTIFACT_UNREACHABLE,
        /** The registry's bytes do not hash to the version's recorded digest. */
        ARTIFACT_MISMATCH,
        /**
         * The artifact is over {@code GREENLIGHT_MAX_MODEL_BYTES}: no instance fetches it, so it is not
         * fetchable; and it is as large on the next try, so not an outage either.
         */
        ARTIFACT_TOO_LARGE,
        /** The artifact was fetched and verified but does not load in ONNX Runtime or fails the smoke run. */
        DOES_NOT_LOAD;

        /** Whether the registry delivered the artifact's verified bytes. */
        public boolean fetchable() {
            return this == DOES_NOT_LOAD;
        }
    }

    /**
     * The gate's view of a version, its artifact digest when known (from the registry, or from
     * the fetched bytes), and why the probe failed, if it did ({@code candidate().loadError()}
     * then says so in words).
     */
    public record Probe(Candidate candidate, Optional<String> sha256, Optional<Failure> failure) {
        public Probe {
            if (failure.isPresent() != candidate.loadError().isPresent()) {
                throw new IllegalArgumentException("a probe fails exactly when its candidate has a load error");
            }
        }

        /** A probe whose failure, if any, is taken to be a load failure. */
        public Probe(Candidate candidate, Optional<String> sha256) {
            this(candidate, sha256, candidate.loadError().map(e -> Failure.DOES_NOT_LOAD));
        }

        /** Whether the registry delivered this version's verified artifact, so every instance can fetch it. */
        public boolean artifactFetchable() {
            return failure.map(Failure::fetchable).orElse(true);
        }
    }

    private record Key(String model, String version, String sha256) {
    }

    private record Loaded(Optional<String> sha256, Optional<ModelSignature> signature, Optional<Failure> failure,
                          Optional<String> error) {
        static Loaded ok(String sha256, ModelSignature signature) {
            return new Loaded(Optional.of(sha256), Optional.of(signature), Optional.empty(), Optional.empty());
        }

        static Loaded failed(String sha256, Failure failure, String error) {
            return new Loaded(Optional.ofNullable(sha256), Optional.empty(), Optional.of(failure), Optional.of(error));
        }
    }

    public CandidateProbe(ModelRegistry registry, ArtifactCache artifacts, ModelLoader loader, String metricPrefix) {
        this(registry, artifacts, loader, metricPrefix, REMEMBERED);
    }

    CandidateProbe(ModelRegistry registry, ArtifactCache artifacts, ModelLoader loader, String metricPrefix,
                   int remembered) {
        this.registry = registry;
        this.artifacts = artifacts;
        this.loader = loader;
        this.metricPrefix = metricPrefix == null ? "" : metricPrefix;
        this.successes = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Loaded> eldest) {
                return size() > remembered;
            }
        };
    }

    public Probe probe(ModelVersion version) {
        Loaded loaded = loaded(version);
        return new Probe(new Candidate(version.version(), metrics(version), loaded.signature(), loaded.error()),
                loaded.sha256(), loaded.failure());
    }

    private Loaded loaded(ModelVersion version) {
        Key key = new Key(version.model(), version.version(), version.sha256());
        Loaded remembered = remembered(key);
        if (remembered != null) {
            return remembered;
        }
        CompletableFuture<Loaded> mine = new CompletableFuture<>();
        CompletableFuture<Loaded> running = inFlight.putIfAbsent(key, mine);
        if (running != null) {
            return running.join(); // load() reports every failure as a value, so join does not throw
        }
        try {
            Loaded loaded = load(version);
            if (loaded.failure().isEmpty()) {
                remember(key, loaded);
            }
            mine.complete(loaded);
            return loaded;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(key, mine);
        }
    }

    private Loaded remembered(Key key) {
        synchronized (successes) {
            return successes.get(key);
        }
    }

    private void remember(Key key, Loaded loaded) {
        synchronized (successes) {
            successes.put(key, loaded);
        }
    }

    private Map<String, String> metrics(ModelVersion version) {
        Map<String, String> metrics = new HashMap<>();
        strip(version.tags(), metrics);
        strip(version.properties(), metrics); // properties win over tags
        return metrics;
    }

    private void strip(Map<String, String> source, Map<String, String> into) {
        source.forEach((key, value) -> {
            if (key.startsWith(metricPrefix)) {
                into.put(key.substring(metricPrefix.length()), value);
            }
        });
    }

    private Loaded load(ModelVersion version) {
        String name = version.model() + ":" + version.version();
        String sha256 = version.sha256();
        Path file;
        try {
            if (sha256 != null) {
                file = artifacts.fetchConfirmed(sha256, () -> registry.openArtifact(version));
            } else {
                ArtifactCache.Cached cached = artifacts.fetchUnknown(() -> registry.openArtifact(version));
                sha256 = cached.sha256();
                file = cached.file();
            }
        } catch (NoSuchFileException e) {
            // Its message is the bare path, which reads like a value, not a reason.
            return Loaded.failed(sha256, Failure.ARTIFACT_MISSING, "artifact of " + name + " not found at "
                    + e.getFile());
        } catch (FileNotFoundException e) {
            return Loaded.failed(sha256, Failure.ARTIFACT_MISSING, describe(e)); // the registry names what is missing
        } catch (ArtifactCache.ArtifactTooLarge e) {
            return Loaded.failed(sha256, Failure.ARTIFACT_TOO_LARGE, "the " + describe(e).replaceFirst("^artifact",
                    "artifact of " + name));
        } catch (ArtifactCache.ArtifactMismatch e) {
            return Loaded.failed(sha256, Failure.ARTIFACT_MISMATCH,
                    "the artifact of " + name + " in the registry is not the one registered: " + describe(e));
        } catch (Exception e) {
            return Loaded.failed(sha256, Failure.ARTIFACT_UNREACHABLE,
                    "the artifact of " + name + " could not be read from the registry: " + describe(e));
        }
        try {
            LoadedModel model = loader.load(version.model(), version.version(), sha256, 0, file);
            try {
                return Loaded.ok(sha256, model.signature());
            } finally {
                model.retire();
            }
        } catch (Exception e) {
            return Loaded.failed(sha256, Failure.DOES_NOT_LOAD, describe(e));
        }
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}

package dev.greenlight.promotion;

import dev.greenlight.gate.Candidate;
import dev.greenlight.registry.ModelRegistry;
import dev.greenlight.registry.ModelVersion;
import dev.greenlight.serving.LoadedModel;
import dev.greenlight.serving.ModelLoader;
import dev.greenlight.store.ArtifactCache;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns a registered version into what the gate judges: its metrics (properties first, then
 * tags, under {@code GREENLIGHT_METRIC_PREFIX}) and, by loading it into a real ONNX Runtime
 * session and running the smoke inference, its signature or the reason it failed. Results are
 * remembered per artifact digest, so a re-decision after a lost race does not load again.
 */
public final class CandidateProbe {
    private final ModelRegistry registry;
    private final ArtifactCache artifacts;
    private final ModelLoader loader;
    private final String metricPrefix;
    private final Map<String, Loaded> byDigest = new ConcurrentHashMap<>();

    private record Loaded(Optional<String> sha256, Optional<dev.greenlight.serving.ModelSignature> signature,
                          Optional<String> error) {
    }

    /** The gate's view of a version, and its artifact digest when it could be fetched. */
    public record Probe(Candidate candidate, Optional<String> sha256) {
    }

    public CandidateProbe(ModelRegistry registry, ArtifactCache artifacts, ModelLoader loader, String metricPrefix) {
        this.registry = registry;
        this.artifacts = artifacts;
        this.loader = loader;
        this.metricPrefix = metricPrefix == null ? "" : metricPrefix;
    }

    public Probe probe(ModelVersion version) {
        Loaded loaded = version.sha256() == null ? load(version) : byDigest.computeIfAbsent(version.sha256(),
                sha -> load(version));
        return new Probe(new Candidate(version.version(), metrics(version), loaded.signature(), loaded.error()),
                loaded.sha256());
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
        String sha256 = version.sha256();
        try {
            ArtifactCache.Cached cached = sha256 != null
                    ? new ArtifactCache.Cached(sha256, artifacts.fetch(sha256, () -> registry.openArtifact(version)))
                    : artifacts.fetchUnknown(() -> registry.openArtifact(version));
            sha256 = cached.sha256();
            LoadedModel model = loader.load(version.model(), version.version(), sha256, 0, cached.file());
            try {
                return new Loaded(Optional.of(sha256), Optional.of(model.signature()), Optional.empty());
            } finally {
                model.retire();
            }
        } catch (Exception e) {
            return new Loaded(Optional.ofNullable(sha256), Optional.empty(), Optional.of(
                    e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
    }
}

package dev.greenlight.gate;

import dev.greenlight.serving.ModelSignature;
import java.util.Map;
import java.util.Optional;

/**
 * What the gate knows of one version: its metrics (from properties, then tags) and, when it
 * could be loaded, its signature. {@code loadError} says why it could not be loaded or smoke-run.
 */
public record Candidate(String version, Map<String, String> metrics, Optional<ModelSignature> signature,
                        Optional<String> loadError) {
    public Candidate {
        metrics = Map.copyOf(metrics);
    }
}

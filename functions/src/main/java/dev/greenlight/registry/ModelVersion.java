package dev.greenlight.registry;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One registered version of a model, as the registry knows it.
 *
 * @param properties metrics and other key/values (Azure ML keeps metrics here as strings)
 * @param sha256     hex digest of the artifact, or null when the registry does not know it
 */
public record ModelVersion(
        String model,
        String version,
        Map<String, String> tags,
        Map<String, String> properties,
        String runId,
        Instant createdAt,
        String sha256) {

    public ModelVersion {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(version, "version");
        tags = Map.copyOf(tags);
        properties = Map.copyOf(properties);
        Objects.requireNonNull(createdAt, "createdAt");
    }
}

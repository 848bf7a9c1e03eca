package dev.greenlight.registry;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Where model versions are registered: the local folder of the embedded default, or Azure ML.
 * No SDK or HTTP type crosses this port.
 */
public interface ModelRegistry {

    /** Versions of a model, newest first; empty when the model is unknown. */
    List<ModelVersion> versions(String model);

    /** One version, if it exists. */
    Optional<ModelVersion> find(String model, String version);

    /** Opens the version's ONNX artifact for reading. */
    InputStream openArtifact(ModelVersion version) throws IOException;

    /**
     * Replaces the version's whole tag set (Azure ML takes a PUT of the whole version; there is
     * no PATCH) and returns the version as stored.
     *
     * @throws java.util.NoSuchElementException when the version does not exist
     */
    ModelVersion setTags(String model, String version, Map<String, String> tags) throws IOException;

    /**
     * Changes the version's tags from what they are now; writes nothing when {@code change}
     * leaves them as they were. Adapters that can make the read and the write one step do
     * (the local registry does, under its lock); Azure ML has no ETag on versions, so there it
     * is a read and a whole-version write.
     *
     * @throws java.util.NoSuchElementException when the version does not exist
     */
    default ModelVersion updateTags(String model, String version, UnaryOperator<Map<String, String>> change)
            throws IOException {
        ModelVersion current = find(model, version).orElseThrow(() -> new java.util.NoSuchElementException(
                "version " + version + " of model " + model + " is not registered"));
        Map<String, String> next = change.apply(current.tags());
        return next.equals(current.tags()) ? current : setTags(model, version, next);
    }
}

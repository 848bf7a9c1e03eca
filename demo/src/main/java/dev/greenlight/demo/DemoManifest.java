package dev.greenlight.demo;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The content of {@code models.json}: one model name and its registered versions, shaped like what an Azure ML
 * registry returns (string-valued properties and tags) so seeding code can feed it straight into a registry fake.
 */
public record DemoManifest(String model, String dataset, List<Version> versions) {

    public DemoManifest {
        versions = List.copyOf(versions);
    }

    /** One registered version: the ONNX file next to the manifest, its SHA-256 and its registry metadata. */
    public record Version(int version, String file, String sha256, Map<String, String> properties,
                          Map<String, String> tags) {

        public Version {
            // Insertion order is kept so the written JSON reads in a stable, human-friendly order.
            properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
            tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
        }
    }

    /** The entry for {@code version}, or an exception naming the versions that exist. */
    public Version version(int version) {
        return versions.stream()
                .filter(v -> v.version() == version)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no version " + version + " of " + model + " in "
                        + versions.stream().map(Version::version).toList()));
    }
}

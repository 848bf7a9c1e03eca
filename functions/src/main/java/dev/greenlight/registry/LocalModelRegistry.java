package dev.greenlight.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.greenlight.json.Json;
import dev.greenlight.store.Digests;
import dev.greenlight.store.FileLocks;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * The registry of the embedded default: one folder per model, one per version.
 * <pre>
 * {root}/{model}/{version}/version.json   tags, properties, run id, created time, sha256
 * {root}/{model}/{version}/model.onnx
 * </pre>
 * Version numbers are assigned under a file lock, so concurrent registrations never collide.
 */
public final class LocalModelRegistry implements ModelRegistry {
    private static final String MANIFEST = "version.json";
    private static final String ARTIFACT = "model.onnx";

    private final Path root;
    private final Clock clock;

    public LocalModelRegistry(Path root, Clock clock) {
        this.root = root;
        this.clock = clock;
    }

    public LocalModelRegistry(Path root) {
        this(root, Clock.systemUTC());
    }

    @Override
    public List<ModelVersion> versions(String model) {
        Path dir = root.resolve(model);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<ModelVersion> versions = new ArrayList<>();
        try (Stream<Path> children = Files.list(dir)) {
            for (Path child : (Iterable<Path>) children::iterator) {
                if (Files.isRegularFile(child.resolve(MANIFEST))) {
                    versions.add(read(child.resolve(MANIFEST)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list versions of " + model + " in " + dir, e);
        }
        versions.sort(Comparator.comparing((ModelVersion v) -> numeric(v.version())).reversed());
        return versions;
    }

    @Override
    public Optional<ModelVersion> find(String model, String version) {
        if (!isSafeName(model) || !isSafeName(version)) {
            return Optional.empty();
        }
        Path manifest = root.resolve(model).resolve(version).resolve(MANIFEST);
        return Files.isRegularFile(manifest) ? Optional.of(read(manifest)) : Optional.empty();
    }

    @Override
    public InputStream openArtifact(ModelVersion version) throws IOException {
        Path file = root.resolve(version.model()).resolve(version.version()).resolve(ARTIFACT);
        try {
            return Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            // The bare path NoSuchFileException carries reads like a value, not a reason.
            FileNotFoundException missing = new FileNotFoundException("artifact of " + version.model() + ":"
                    + version.version() + " not found at " + file);
            missing.initCause(e);
            throw missing;
        }
    }

    @Override
    public ModelVersion setTags(String model, String version, Map<String, String> tags) throws IOException {
        return updateTags(model, version, current -> tags);
    }

    /** Reads and writes the tags under the model's lock, so concurrent tag changes never lose one another. */
    @Override
    public ModelVersion updateTags(String model, String version, UnaryOperator<Map<String, String>> change)
            throws IOException {
        find(model, version).orElseThrow(() -> new java.util.NoSuchElementException(
                "version " + version + " of model " + model + " is not registered"));
        Path dir = root.resolve(model);
        return FileLocks.exclusive(dir.resolve(".lock"), () -> {
            ModelVersion current = read(dir.resolve(version).resolve(MANIFEST));
            Map<String, String> tags = change.apply(current.tags());
            if (tags.equals(current.tags())) {
                return current;
            }
            ModelVersion updated = new ModelVersion(model, version, tags, current.properties(), current.runId(),
                    current.createdAt(), current.sha256());
            write(dir.resolve(version).resolve(MANIFEST), updated);
            return updated;
        });
    }

    /**
     * Registers a file as the next version of a model. The artifact is copied first and the
     * manifest written last (atomically), so a version is either complete or invisible.
     */
    public ModelVersion register(String model, Path artifact, Map<String, String> properties,
                                 Map<String, String> tags, String runId) throws IOException {
        if (!isSafeName(model)) {
            throw new IllegalArgumentException("invalid model name: '" + model + "'");
        }
        Path dir = Files.createDirectories(root.resolve(model));
        return FileLocks.exclusive(dir.resolve(".lock"), () -> {
            long next = versions(model).stream().mapToLong(v -> numeric(v.version())).max().orElse(0) + 1;
            Path versionDir = Files.createDirectories(dir.resolve(Long.toString(next)));
            Path tmp = versionDir.resolve(ARTIFACT + ".tmp");
            Files.copy(artifact, tmp, StandardCopyOption.REPLACE_EXISTING);
            String sha256 = Digests.sha256(tmp);
            Files.move(tmp, versionDir.resolve(ARTIFACT), StandardCopyOption.ATOMIC_MOVE);
            ModelVersion version = new ModelVersion(model, Long.toString(next), tags, properties, runId,
                    clock.instant(), sha256);
            write(versionDir.resolve(MANIFEST), version);
            return version;
        });
    }

    private static void write(Path manifest, ModelVersion v) throws IOException {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("model", v.model());
        node.put("version", v.version());
        node.set("tags", Json.MAPPER.valueToTree(new LinkedHashMap<>(v.tags())));
        node.set("properties", Json.MAPPER.valueToTree(new LinkedHashMap<>(v.properties())));
        node.put("runId", v.runId());
        node.put("createdAt", v.createdAt().toString());
        node.put("sha256", v.sha256());
        Path tmp = manifest.resolveSibling(MANIFEST + ".tmp");
        Files.write(tmp, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(node));
        Files.move(tmp, manifest, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static ModelVersion read(Path manifest) {
        try {
            JsonNode node = Json.MAPPER.readTree(manifest.toFile());
            return new ModelVersion(
                    node.path("model").asText(),
                    node.path("version").asText(),
                    strings(node.path("tags")),
                    strings(node.path("properties")),
                    node.path("runId").isNull() ? null : node.path("runId").asText(null),
                    Instant.parse(node.path("createdAt").asText()),
                    node.path("sha256").asText(null));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("unreadable version manifest " + manifest + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, String> strings(JsonNode node) {
        Map<String, String> map = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
        return map;
    }

    private static long numeric(String version) {
        try {
            return Long.parseLong(version);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static boolean isSafeName(String name) {
        return name != null && name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,254}") && !name.contains("..");
    }
}

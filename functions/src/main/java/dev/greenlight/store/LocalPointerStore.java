package dev.greenlight.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.greenlight.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Pointers as small JSON files under {@code {root}/pointers/{model}.json}. The ETag is the
 * digest of the file's bytes (modification times are too coarse to tell two quick writes
 * apart); a write takes a file lock, compares ETags and replaces the file atomically.
 */
public final class LocalPointerStore implements PointerStore {
    private final Path dir;

    public LocalPointerStore(Path root) {
        this.dir = root.resolve("pointers");
    }

    @Override
    public Optional<Versioned<Pointer>> read(String model) {
        return readIfChanged(model, null);
    }

    @Override
    public Optional<Versioned<Pointer>> readIfChanged(String model, String knownEtag) {
        byte[] bytes = bytes(file(model));
        if (bytes == null) {
            return Optional.empty();
        }
        String etag = Digests.sha256(bytes);
        if (etag.equals(knownEtag)) {
            return Optional.empty();
        }
        return Optional.of(new Versioned<>(parse(model, bytes), etag));
    }

    @Override
    public String write(Pointer pointer, String expectedEtag) {
        Path file = file(pointer.model());
        try {
            Files.createDirectories(dir);
            try (FileChannel lock = FileChannel.open(dir.resolve(pointer.model() + ".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE); var ignored = lock.lock()) {
                byte[] current = bytes(file);
                String currentEtag = current == null ? null : Digests.sha256(current);
                if (!Objects.equals(currentEtag, expectedEtag)) {
                    throw new StoreConflict("pointer of " + pointer.model() + " changed: expected ETag "
                            + expectedEtag + ", found " + currentEtag);
                }
                byte[] next = render(pointer);
                Path tmp = dir.resolve(pointer.model() + ".json.tmp");
                Files.write(tmp, next);
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                return Digests.sha256(next);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write pointer " + file, e);
        }
    }

    private Path file(String model) {
        return dir.resolve(model + ".json");
    }

    private static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read pointer " + file, e);
        }
    }

    private static byte[] render(Pointer p) throws IOException {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("model", p.model());
        node.put("version", p.version());
        node.put("sha256", p.sha256());
        node.put("generation", p.generation());
        node.put("updatedAt", p.updatedAt().toString());
        return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(node);
    }

    private static Pointer parse(String model, byte[] bytes) {
        try {
            JsonNode node = Json.MAPPER.readTree(bytes);
            return new Pointer(node.path("model").asText(model), node.path("version").asText(),
                    node.path("sha256").asText(), node.path("generation").asLong(),
                    Instant.parse(node.path("updatedAt").asText()));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("unreadable pointer for model " + model + ": " + e.getMessage(), e);
        }
    }
}

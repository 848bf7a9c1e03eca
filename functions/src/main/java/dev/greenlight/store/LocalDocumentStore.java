package dev.greenlight.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;
import java.util.Optional;

/**
 * Documents as files under a root folder. The ETag is the digest of the file's bytes
 * (modification times are too coarse to tell two quick writes apart); a write takes a file
 * lock, compares ETags and replaces the file atomically, so readers see the old or the new
 * document, never half of one.
 */
public final class LocalDocumentStore implements DocumentStore {
    private final Path root;

    public LocalDocumentStore(Path root) {
        this.root = root;
    }

    @Override
    public Optional<Versioned<byte[]>> read(String name) {
        return readIfChanged(name, null);
    }

    @Override
    public Optional<Versioned<byte[]>> readIfChanged(String name, String knownEtag) {
        byte[] bytes = bytes(file(name));
        if (bytes == null) {
            return Optional.empty();
        }
        String etag = Digests.sha256(bytes);
        return etag.equals(knownEtag) ? Optional.empty() : Optional.of(new Versioned<>(bytes, etag));
    }

    @Override
    public String write(String name, byte[] content, String expectedEtag) {
        Path file = file(name);
        try {
            Files.createDirectories(file.getParent());
            return FileLocks.exclusive(file.resolveSibling(file.getFileName() + ".lock"), () -> {
                byte[] current = bytes(file);
                String currentEtag = current == null ? null : Digests.sha256(current);
                if (!Objects.equals(currentEtag, expectedEtag)) {
                    throw new StoreConflict(name + " changed: expected ETag " + expectedEtag + ", found " + currentEtag);
                }
                Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
                Files.write(tmp, content);
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                return Digests.sha256(content);
            });
        } catch (IOException e) {
            throw new StoreUnavailable("cannot write " + file, e);
        }
    }

    private Path file(String name) {
        if (name.isBlank() || name.startsWith("/") || name.contains("..") || name.contains("\\")) {
            throw new IllegalArgumentException("invalid document name: '" + name + "'");
        }
        return root.resolve(name);
    }

    private static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new StoreUnavailable("cannot read " + file, e);
        }
    }
}

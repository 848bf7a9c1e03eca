package dev.greenlight.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Documents as files under a root folder. The ETag is the digest of the file's bytes
 * (modification times are too coarse to tell two quick writes apart); a write takes a file
 * lock, compares ETags and replaces the file atomically, so readers see the old or the new
 * document, never half of one.
 *
 * <p>The lock is one file per folder ({@value #LOCK_FILE}), not one per document: archived
 * decisions are one document each, and a lock file per document would leave one empty file
 * behind for each of them forever (lock files cannot be deleted safely, see {@link FileLocks}).
 * Writes to documents of one folder take turns; each holds the lock for one read, one compare
 * and one rename, and writes to one model's ledger are serial by nature anyway. Document names
 * never start a segment with a dot ({@link DocumentNames}), so no document can be the lock file
 * or a write's temporary file ({@code .<name>.tmp}).
 *
 * <p>Any I/O failure is {@link StoreUnavailable} naming the folder, the document and why; an
 * outage is logged once when it starts and once when it ends.
 */
public final class LocalDocumentStore implements DocumentStore {
    static final String LOCK_FILE = ".lock";
    private static final Logger LOG = Logger.getLogger(LocalDocumentStore.class.getName());

    private final Path root;
    private final OutageLog outages;

    public LocalDocumentStore(Path root) {
        this(root, Clock.systemUTC());
    }

    public LocalDocumentStore(Path root, Clock clock) {
        this.root = Objects.requireNonNull(root, "root");
        this.outages = new OutageLog(LOG, "the store " + root, clock);
    }

    @Override
    public Optional<Versioned<byte[]>> read(String name) {
        return readIfChanged(name, null);
    }

    @Override
    public Optional<Versioned<byte[]>> readIfChanged(String name, String knownEtag) {
        Path file = file(name);
        byte[] bytes;
        try {
            bytes = bytes(file);
        } catch (IOException e) {
            throw unavailable("read", name, e);
        }
        outages.succeeded();
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
            String etag = FileLocks.exclusive(file.resolveSibling(LOCK_FILE), () -> {
                byte[] current = bytes(file);
                String currentEtag = current == null ? null : Digests.sha256(current);
                if (!Objects.equals(currentEtag, expectedEtag)) {
                    throw new StoreConflict(name + " in the store " + root + " changed: expected ETag "
                            + expectedEtag + ", found " + currentEtag);
                }
                Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
                Files.write(tmp, content);
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                return Digests.sha256(content);
            });
            outages.succeeded();
            return etag;
        } catch (StoreConflict lost) {
            outages.succeeded(); // the store answered: it is up
            throw lost;
        } catch (IOException e) {
            throw unavailable("write", name, e);
        }
    }

    private StoreUnavailable unavailable(String operation, String name, IOException e) {
        String why = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        outages.failed("cannot " + operation + " " + name + ": " + why);
        return new StoreUnavailable("the store " + root + " cannot " + operation + " " + name + ": " + why, e);
    }

    private Path file(String name) {
        return root.resolve(DocumentNames.checked(name));
    }

    private static byte[] bytes(Path file) throws IOException {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}

package dev.greenlight.store;

import dev.greenlight.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The last baseline pointer this instance served, per model, kept on its own disk beside the
 * artifact cache ({@code last-known/{model}.json}). An instance that starts while the store is
 * unreachable serves that baseline (its artifact is in the cache, verified by digest) instead of
 * answering 503 until the store returns.
 */
public final class LastKnownPointers {
    private static final Logger LOG = Logger.getLogger(LastKnownPointers.class.getName());

    private final Path dir;

    LastKnownPointers(Path dir) {
        this.dir = dir;
    }

    /** Remembers what serves now; a failure to write is logged, never fails serving. */
    public void remember(Pointer pointer) {
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve(pointer.model() + ".json");
            Path tmp = Files.createTempFile(dir, pointer.model(), ".tmp");
            try {
                Files.write(tmp, Json.MAPPER.writeValueAsBytes(pointer));
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warning("could not remember " + pointer.model() + ":" + pointer.version() + " as last known: "
                    + e.getMessage());
        }
    }

    /** The last pointer this instance served for {@code model}, if it remembers one. */
    public Optional<Pointer> recall(String model) {
        try {
            return Optional.of(Json.MAPPER.readValue(dir.resolve(model + ".json").toFile(), Pointer.class));
        } catch (NoSuchFileException | java.io.FileNotFoundException none) {
            return Optional.empty();
        } catch (IOException | RuntimeException unreadable) {
            LOG.warning("the last known baseline of " + model + " is unreadable: " + unreadable.getMessage());
            return Optional.empty();
        }
    }
}

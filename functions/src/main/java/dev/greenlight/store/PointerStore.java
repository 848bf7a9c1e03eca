package dev.greenlight.store;

import java.util.Optional;

/**
 * Where the baseline pointers live: a local folder, or a Blob container. Writes are optimistic:
 * a write names the ETag it read, and a lost race is a {@link StoreConflict}, never an overwrite.
 */
public interface PointerStore {

    /** The model's pointer, or empty when it has none. */
    Optional<Versioned<Pointer>> read(String model);

    /**
     * A conditional read: empty when the pointer still has {@code knownEtag} (or has none),
     * the new pointer otherwise. This is what every instance polls, so it must be cheap.
     */
    Optional<Versioned<Pointer>> readIfChanged(String model, String knownEtag);

    /**
     * Writes the pointer if the stored one still has {@code expectedEtag} (null: if none exists).
     *
     * @return the new ETag
     * @throws StoreConflict when another writer got there first
     */
    String write(Pointer pointer, String expectedEtag);
}

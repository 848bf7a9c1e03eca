package dev.greenlight.store;

import java.util.Optional;

/**
 * Small JSON documents (pointers, ledgers) under slash-separated names, each with an ETag.
 * Every write is optimistic: it names the ETag it read (null: the document must not exist) and
 * loses with {@link StoreConflict} when someone else wrote first. Adapters: a local folder
 * ({@link LocalDocumentStore}) and an Azure Blob container.
 */
public interface DocumentStore {

    /** The document and its ETag, or empty when it does not exist. */
    Optional<Versioned<byte[]>> read(String name);

    /**
     * A conditional read: empty when the document still has {@code knownEtag} (or does not
     * exist); the new content otherwise. Instances poll with this, so adapters make it cheap
     * (Blob: {@code If-None-Match}).
     */
    Optional<Versioned<byte[]>> readIfChanged(String name, String knownEtag);

    /**
     * Writes the document if it still has {@code expectedEtag} (null: only if it does not exist).
     *
     * @return the new ETag
     * @throws StoreConflict when the stored ETag differs
     * @throws StoreUnavailable when the store cannot be reached
     */
    String write(String name, byte[] content, String expectedEtag);
}

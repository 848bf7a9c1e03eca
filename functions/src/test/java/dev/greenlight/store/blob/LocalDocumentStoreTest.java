package dev.greenlight.store.blob;

import dev.greenlight.store.DocumentStore;
import dev.greenlight.store.LocalDocumentStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The store contract against the local folder adapter (the local host's store). */
class LocalDocumentStoreTest extends DocumentStoreContract {
    @TempDir
    Path dir;

    @Override
    protected DocumentStore newStore() {
        return new LocalDocumentStore(dir.resolve("store"));
    }
}

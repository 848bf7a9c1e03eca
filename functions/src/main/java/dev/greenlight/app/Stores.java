package dev.greenlight.app;

import com.azure.identity.DefaultAzureCredentialBuilder;
import dev.greenlight.config.SettingsException;
import dev.greenlight.store.DocumentStore;
import dev.greenlight.store.LocalDocumentStore;
import dev.greenlight.store.blob.BlobDocumentStore;
import java.nio.file.Path;

/**
 * Picks the document store {@code GREENLIGHT_STORE} names: a Blob container URL (managed
 * identity), a storage connection string with {@code ;Container=name} (e.g. Azurite's
 * {@code UseDevelopmentStorage=true;Container=greenlight}), or a local folder.
 */
final class Stores {
    private Stores() {
    }

    static DocumentStore from(String store) {
        if (store.startsWith("https://") || store.startsWith("http://")) {
            return new BlobDocumentStore(BlobDocumentStore.client(store, new DefaultAzureCredentialBuilder().build()));
        }
        if (store.contains("UseDevelopmentStorage=") || store.contains("AccountKey=") || store.contains("BlobEndpoint=")) {
            int at = store.indexOf(";Container=");
            if (at < 0) {
                throw new SettingsException("GREENLIGHT_STORE as a connection string needs ';Container=<name>' at the end");
            }
            return new BlobDocumentStore(BlobDocumentStore.client(store.substring(0, at),
                    store.substring(at + ";Container=".length())));
        }
        return new LocalDocumentStore(Path.of(store));
    }
}

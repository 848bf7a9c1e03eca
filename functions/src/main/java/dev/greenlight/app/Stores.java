package dev.greenlight.app;

import dev.greenlight.config.SettingsException;
import dev.greenlight.store.DocumentStore;
import dev.greenlight.store.LocalDocumentStore;
import dev.greenlight.store.blob.BlobDocumentStore;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Picks the document store {@code GREENLIGHT_STORE} names: a Blob container URL (managed
 * identity), a storage connection string with {@code ;Container=name} (e.g. Azurite's
 * {@code UseDevelopmentStorage=true;Container=greenlight}), or a local folder. The app and the
 * local host's seeding both choose here, so they always meet in the same store.
 */
public final class Stores {
    private Stores() {
    }

    public static DocumentStore from(String store) {
        Optional<Path> folder = localFolder(store);
        if (folder.isPresent()) {
            return new LocalDocumentStore(folder.get());
        }
        if (isUrl(store)) {
            return new BlobDocumentStore(BlobDocumentStore.client(store, Credentials.shared()));
        }
        int at = store.indexOf(";Container=");
        if (at < 0) {
            // Never echo the value: a connection string carries the account key.
            throw new SettingsException("GREENLIGHT_STORE as a connection string needs ';Container=<name>' at the end");
        }
        return new BlobDocumentStore(BlobDocumentStore.client(store.substring(0, at),
                store.substring(at + ";Container=".length())));
    }

    /**
     * The folder {@code GREENLIGHT_STORE} names, or empty when it names a Blob container (a URL
     * or a connection string), which must never become a path on disk.
     */
    public static Optional<Path> localFolder(String store) {
        return isUrl(store) || isConnectionString(store) ? Optional.empty() : Optional.of(Path.of(store));
    }

    private static boolean isUrl(String store) {
        return store.startsWith("https://") || store.startsWith("http://");
    }

    private static boolean isConnectionString(String store) {
        return store.contains("UseDevelopmentStorage=") || store.contains("AccountKey=") || store.contains("BlobEndpoint=")
                || store.contains("SharedAccessSignature=") || store.contains("DefaultEndpointsProtocol=");
    }
}

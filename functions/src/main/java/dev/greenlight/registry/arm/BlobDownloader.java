package dev.greenlight.registry.arm;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;

/** Opens a model artifact in Azure Blob Storage, given its {@code https} URL. */
@FunctionalInterface
public interface BlobDownloader {

    /**
     * @param blobUrl {@code https://{account}.blob.{suffix}/{container}/{path}}; the path may name a folder
     * @throws IOException when the blob cannot be read (an {@link ArmAccessDenied} when the identity may not)
     */
    InputStream open(URI blobUrl) throws IOException;

    /**
     * Reads blobs as the given identity (it needs Storage Blob Data Reader on the account). A path that is a
     * folder, not a blob, yields the single {@code .onnx} blob under it.
     *
     * @param httpClient the transport, or null for azure-core's default
     */
    static BlobDownloader storage(TokenCredential credential, HttpClient httpClient) {
        return new StorageBlobDownloader(credential, httpClient);
    }
}

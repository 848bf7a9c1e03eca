package dev.greenlight.registry.arm;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.function.LongConsumer;

/** Writes a model artifact to Azure Blob Storage, given its {@code https} URL; never replaces a blob. */
@FunctionalInterface
public interface BlobUploader {

    /**
     * Creates the blob from {@code length} bytes of {@code content}, only if no blob exists at that URL. Creating
     * is atomic on the service, so the blob doubles as a claim on its path.
     *
     * @param blobUrl  {@code https://{account}.blob.{suffix}/{container}/{path}}
     * @param progress told the bytes sent so far, ending with {@code length} once the blob is created
     * @return true when the blob was created; false when one already existed there (it is left unchanged)
     * @throws IOException when the blob cannot be written (an {@link ArmAccessDenied} when the identity may not)
     */
    boolean create(URI blobUrl, InputStream content, long length, LongConsumer progress) throws IOException;

    /**
     * Writes blobs as the given identity (it needs Storage Blob Data Contributor on the account).
     *
     * @param httpClient the transport, or null for azure-core's default
     */
    static BlobUploader storage(TokenCredential credential, HttpClient httpClient) {
        return new StorageBlobUploader(credential, httpClient);
    }
}

package dev.greenlight.registry.arm;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.ParallelTransferOptions;
import com.azure.storage.blob.options.BlobParallelUploadOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;

/** {@link BlobUploader} over azure-storage-blob: one service client per storage account, built on first use. */
final class StorageBlobUploader implements BlobUploader {
    /**
     * Files above one block go up as staged 8 MiB blocks, at most four in flight: memory stays bounded (the SDK
     * buffers what it reads from a stream) and progress moves block by block. The SDK's defaults would buffer a
     * file of up to 256 MiB whole before sending a byte.
     */
    private static final long BLOCK_SIZE = 8L * 1024 * 1024;
    private static final int MAX_CONCURRENCY = 4;

    private final TokenCredential credential;
    private final HttpClient httpClient;
    private final Map<String, BlobServiceClient> accounts = new ConcurrentHashMap<>();

    StorageBlobUploader(TokenCredential credential, HttpClient httpClient) {
        this.credential = Objects.requireNonNull(credential, "credential");
        this.httpClient = httpClient;
    }

    @Override
    public boolean create(URI blobUrl, InputStream content, long length, LongConsumer progress) throws IOException {
        String path = blobUrl.getPath() == null ? "" : blobUrl.getPath();
        int slash = path.indexOf('/', 1);
        if (!"https".equalsIgnoreCase(blobUrl.getScheme()) || slash < 0 || slash == path.length() - 1
                || path.endsWith("/")) {
            throw new IOException("not a blob URL (https://{account}.blob.{suffix}/{container}/{path}): " + blobUrl);
        }
        BlobClient blob = account(blobUrl).getBlobContainerClient(path.substring(1, slash))
                .getBlobClient(path.substring(slash + 1));
        ParallelTransferOptions transfer = new ParallelTransferOptions()
                .setBlockSizeLong(BLOCK_SIZE).setMaxSingleUploadSizeLong(BLOCK_SIZE).setMaxConcurrency(MAX_CONCURRENCY);
        if (progress != null) {
            transfer.setProgressListener(progress::accept);
        }
        BlobParallelUploadOptions options = new BlobParallelUploadOptions(content, length)
                .setParallelTransferOptions(transfer)
                // If-None-Match: * makes the write a create: it fails rather than replace a blob written meanwhile.
                .setRequestConditions(new BlobRequestConditions().setIfNoneMatch("*"));
        try {
            blob.uploadWithResponse(options, null, Context.NONE);
            return true;
        } catch (BlobStorageException e) {
            BlobErrorCode code = e.getErrorCode();
            // Put Blob answers 409 BlobAlreadyExists; a staged upload's final Put Block List answers 412.
            if (e.getStatusCode() == 409 && BlobErrorCode.BLOB_ALREADY_EXISTS.equals(code)
                    || e.getStatusCode() == 412) {
                return false;
            }
            String detail = e.getStatusCode() + (code == null ? "" : " " + code) + " writing " + blobUrl;
            if (e.getStatusCode() == 401 || e.getStatusCode() == 403) {
                throw new ArmAccessDenied("the identity Greenlight runs as may not upload the model artifact ("
                        + detail + "); grant it Storage Blob Data Contributor on the storage account",
                        e.getStatusCode(), code == null ? null : code.toString(), e);
            }
            throw new ArmException("cannot upload the model artifact: " + detail, e.getStatusCode(),
                    code == null ? null : code.toString(), e);
        } catch (RuntimeException e) {
            throw new ArmException("cannot upload the model artifact to " + blobUrl + ": " + e.getMessage(), 0, null, e);
        }
    }

    private BlobServiceClient account(URI url) {
        String endpoint = "https://" + url.getRawAuthority();
        return accounts.computeIfAbsent(endpoint, e -> {
            BlobServiceClientBuilder builder = new BlobServiceClientBuilder().endpoint(e).credential(credential);
            return (httpClient == null ? builder : builder.httpClient(httpClient)).buildClient();
        });
    }
}

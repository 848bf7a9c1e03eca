package dev.greenlight.registry.arm;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.ListBlobsOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/** {@link BlobDownloader} over azure-storage-blob: one service client per storage account, built on first use. */
final class StorageBlobDownloader implements BlobDownloader {
    private final TokenCredential credential;
    private final HttpClient httpClient;
    private final Map<String, BlobServiceClient> accounts = new ConcurrentHashMap<>();

    StorageBlobDownloader(TokenCredential credential, HttpClient httpClient) {
        this.credential = Objects.requireNonNull(credential, "credential");
        this.httpClient = httpClient;
    }

    @Override
    public InputStream open(URI blobUrl) throws IOException {
        String path = blobUrl.getPath() == null ? "" : blobUrl.getPath();
        int slash = path.indexOf('/', 1);
        if (!"https".equalsIgnoreCase(blobUrl.getScheme()) || slash < 0 || slash == path.length() - 1) {
            throw new IOException("not a blob URL (https://{account}.blob.{suffix}/{container}/{path}): " + blobUrl);
        }
        BlobContainerClient container = account(blobUrl).getBlobContainerClient(path.substring(1, slash));
        String name = path.substring(slash + 1);
        try {
            boolean folder = name.endsWith("/") || isFolder(container, name);
            String blob = folder ? singleOnnx(container, name.endsWith("/") ? name : name + "/", blobUrl) : name;
            return container.getBlobClient(blob).openInputStream();
        } catch (BlobStorageException e) {
            String code = e.getErrorCode() == null ? null : e.getErrorCode().toString();
            String detail = e.getStatusCode() + (code == null ? "" : " " + code) + " reading " + blobUrl;
            if (e.getStatusCode() == 401 || e.getStatusCode() == 403) {
                throw new ArmAccessDenied("the identity Greenlight runs as lacks access to the model artifact ("
                        + detail + "); grant it Storage Blob Data Reader on the storage account",
                        e.getStatusCode(), code, e);
            }
            throw new ArmException("cannot read the model artifact: " + detail, e.getStatusCode(), code, e);
        } catch (RuntimeException e) {
            throw new ArmException("cannot read the model artifact " + blobUrl + ": " + e.getMessage(), 0, null, e);
        }
    }

    /** A missing blob may be a virtual folder; on accounts with a hierarchical namespace folders are blobs. */
    private static boolean isFolder(BlobContainerClient container, String name) {
        try {
            Map<String, String> metadata = container.getBlobClient(name).getProperties().getMetadata();
            return metadata != null && "true".equalsIgnoreCase(metadata.get("hdi_isfolder"));
        } catch (BlobStorageException e) {
            if (e.getStatusCode() == 404) {
                return true;
            }
            throw e;
        }
    }

    private static String singleOnnx(BlobContainerClient container, String prefix, URI url) throws IOException {
        List<String> onnx = container.listBlobs(new ListBlobsOptions().setPrefix(prefix), null).stream()
                .map(BlobItem::getName)
                .filter(n -> n.toLowerCase(Locale.ROOT).endsWith(".onnx"))
                .limit(10)
                .toList();
        if (onnx.size() != 1) {
            throw new IOException("expected exactly one .onnx blob at or under " + url + ", found "
                    + (onnx.isEmpty() ? "none" : onnx));
        }
        return onnx.get(0);
    }

    private BlobServiceClient account(URI url) {
        String endpoint = "https://" + url.getRawAuthority();
        return accounts.computeIfAbsent(endpoint, e -> {
            BlobServiceClientBuilder builder = new BlobServiceClientBuilder().endpoint(e).credential(credential);
            return (httpClient == null ? builder : builder.httpClient(httpClient)).buildClient();
        });
    }
}

package dev.greenlight.registry.arm;

import static dev.greenlight.registry.arm.ArmClient.segment;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a version's {@code properties.modelUri} into the https URL of its blob, reading the datastore it
 * names through ARM when it names one. Accepted forms, for workspaces only (registries have no datastores),
 * through an AzureBlob or AzureDataLakeGen2 datastore:
 * <pre>
 * azureml://datastores/{datastore}/paths/{path}
 * azureml://subscriptions/{s}/resourcegroups/{rg}/workspaces/{ws}/datastores/{datastore}/paths/{path}
 * </pre>
 * and, for workspaces and registries (whose versions point straight at the registry's storage):
 * <pre>
 * https://{account}.blob.{suffix}/{container}/{path}
 * wasbs://{container}@{account}.blob.{suffix}/{path}
 * abfss://{filesystem}@{account}.dfs.{suffix}/{path}
 * </pre>
 * It owns the rule that every URL it hands out is on an Azure Storage host of the public, China or US
 * Government cloud, since the storage token travels with it.
 */
final class ModelUriResolver {
    private static final Pattern SHORT_URI = Pattern.compile("azureml://datastores/([^/]+)/paths/(.+)");
    private static final Pattern LONG_URI = Pattern.compile("azureml://subscriptions/([^/]+)/resourcegroups/([^/]+)"
            + "/(?:providers/Microsoft\\.MachineLearningServices/)?workspaces/([^/]+)/datastores/([^/]+)/paths/(.+)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern STORAGE_URI = Pattern.compile("(wasbs|abfss)://([^@/]+)@([^/]+)/(.+)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern STORAGE_HOST = Pattern.compile(
            "([a-z0-9]{3,24})\\.(?:blob|dfs)\\."
                    + "(core\\.windows\\.net|core\\.chinacloudapi\\.cn|core\\.usgovcloudapi\\.net)",
            Pattern.CASE_INSENSITIVE);

    private final ArmClient arm;
    private final AzureMlResource resource;

    ModelUriResolver(ArmClient arm, AzureMlResource resource) {
        this.arm = arm;
        this.resource = resource;
    }

    /** Resolves a version's {@code modelUri} to the https URL of its blob (or folder). */
    URI blobUrl(String modelUri) throws IOException {
        Matcher shortUri = SHORT_URI.matcher(modelUri);
        Matcher longUri = LONG_URI.matcher(modelUri);
        if (shortUri.matches() || longUri.matches()) {
            if (resource.kind() == AzureMlResource.Kind.REGISTRY) {
                throw new IOException("modelUri '" + modelUri + "' names a datastore, but " + resource
                        + " is a registry, which has none; registry versions must point at https://, wasbs:// or"
                        + " abfss:// storage URLs");
            }
            AzureMlResource workspace = shortUri.matches() ? resource
                    : AzureMlResource.workspace(longUri.group(1), longUri.group(2), longUri.group(3));
            return datastoreUrl(workspace, shortUri.matches() ? shortUri.group(1) : longUri.group(4),
                    shortUri.matches() ? shortUri.group(2) : longUri.group(5), modelUri);
        }
        Matcher storage = STORAGE_URI.matcher(modelUri);
        if (storage.matches()) {
            return storageUrl(storage.group(3), storage.group(2), storage.group(4), modelUri);
        }
        if (modelUri.regionMatches(true, 0, "https://", 0, 8)) {
            try {
                URI uri = new URI(modelUri);
                if (STORAGE_HOST.matcher(String.valueOf(uri.getHost())).matches()) {
                    // An ADLS Gen2 (dfs) URL names the same blob on the account's blob endpoint.
                    return new URI(modelUri.replaceFirst("(?i)\\.dfs\\.", ".blob."));
                }
            } catch (URISyntaxException e) {
                throw new IOException("modelUri '" + modelUri + "' is not a valid URL: " + e.getMessage(), e);
            }
            throw new IOException("modelUri '" + modelUri + "' is not an Azure Blob Storage URL "
                    + "(https://{account}.blob.core.windows.net/{container}/{path})");
        }
        throw new IOException("unsupported modelUri '" + modelUri + "' of " + resource + "; expected "
                + "azureml://datastores/{datastore}/paths/{path}, the long azureml://subscriptions/.../workspaces/"
                + "{ws}/datastores/{datastore}/paths/{path} form, or an https/wasbs/abfss storage URL");
    }

    private URI datastoreUrl(AzureMlResource workspace, String datastore, String path, String modelUri)
            throws IOException {
        JsonNode ds = arm.get(workspace.id() + "/datastores/" + segment(datastore)).orElseThrow(() ->
                new IOException("datastore '" + datastore + "' of modelUri '" + modelUri + "' does not exist in "
                        + workspace)).path("properties");
        String type = ds.path("datastoreType").asText("");
        String container = ds.path(type.equals("AzureDataLakeGen2") ? "filesystem" : "containerName").asText("");
        String account = ds.path("accountName").asText("");
        boolean blob = type.equals("AzureBlob") || type.equals("AzureDataLakeGen2");
        if (!blob || container.isEmpty() || account.isEmpty()) {
            throw new IOException("datastore '" + datastore + "' in " + workspace + " is not a blob datastore with an "
                    + "account and container (datastoreType '" + type + "'), so modelUri '" + modelUri
                    + "' cannot be read");
        }
        String endpoint = ds.path("endpoint").asText("");
        return storageUrl(account + ".blob." + (endpoint.isEmpty() ? "core.windows.net" : endpoint), container, path,
                modelUri);
    }

    /** {@code https://{account}.blob.{suffix}/{container}/{path}}, for a storage host only. */
    static URI storageUrl(String host, String container, String path, String modelUri) throws IOException {
        Matcher m = STORAGE_HOST.matcher(host);
        if (!m.matches()) {
            throw new IOException("modelUri '" + modelUri + "' resolves to '" + host
                    + "', which is not an Azure Storage host ({account}.blob.core.windows.net)");
        }
        try {
            String blobHost = (m.group(1) + ".blob." + m.group(2)).toLowerCase(Locale.ROOT);
            return new URI("https", blobHost, "/" + container + "/" + path, null);
        } catch (URISyntaxException e) {
            throw new IOException("modelUri '" + modelUri + "' does not make a valid blob URL: " + e.getMessage(), e);
        }
    }
}

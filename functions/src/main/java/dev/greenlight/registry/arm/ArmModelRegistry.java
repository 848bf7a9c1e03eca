package dev.greenlight.registry.arm;

import static dev.greenlight.registry.arm.ArmClient.segment;

import com.azure.core.http.HttpPipeline;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.greenlight.json.Json;
import dev.greenlight.registry.ModelRegistry;
import dev.greenlight.registry.ModelVersion;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The registry in Azure ML: the model versions of one workspace or registry, through ARM.
 * <pre>
 * GET {resource}/models/{model}/versions[?$skipToken..]   list (paged by nextLink)
 * GET {resource}/models/{model}/versions/{version}        one version
 * PUT {resource}/models/{model}/versions/{version}        the whole version (there is no PATCH)
 * GET {workspace}/datastores/{name}                       where an azureml:// modelUri lives
 * </pre>
 * Mapping: tags = {@code properties.tags}, properties = {@code properties.properties}, run id =
 * {@code properties.jobName}, created = {@code systemData.createdAt} (the epoch if absent), sha256 =
 * the {@code sha256} property when it holds a SHA-256 digest (Azure ML's own {@code hash_sha256}
 * hashes an upload folder, not the file).
 *
 * <p>Artifacts: {@code properties.modelUri} is resolved to a blob URL and read through the
 * {@link BlobDownloader}. Accepted forms, for workspaces only (registries have no datastores), through
 * an AzureBlob or AzureDataLakeGen2 datastore:
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
 * The storage token goes only to Azure Storage hosts of the public, China and US Government clouds.
 *
 * <p>{@link #setTags} is read-modify-write without a precondition (ARM model versions carry no ETag):
 * a concurrent edit of the same version between the GET and the PUT is overwritten.
 */
public final class ArmModelRegistry implements ModelRegistry {
    /** The ARM api-version used unless another is given. 2024-04-01 has the same model version contract. */
    public static final String DEFAULT_API_VERSION = "2024-10-01";

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
    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");
    /** Azure ML's "latest" is the most recently created; equal times fall back to the version number. */
    private static final Comparator<ModelVersion> NEWEST_FIRST = Comparator
            .comparing(ModelVersion::createdAt)
            .thenComparingLong((ModelVersion v) -> numeric(v.version()))
            .thenComparing(ModelVersion::version)
            .reversed();

    private final ArmClient arm;
    private final AzureMlResource resource;
    private final BlobDownloader downloader;

    /**
     * @param pipeline    from {@link ArmPipeline#create}
     * @param armEndpoint {@link ArmPipeline#PUBLIC_CLOUD} or a sovereign cloud's ARM endpoint
     * @param apiVersion  {@link #DEFAULT_API_VERSION} unless there is a reason
     * @param downloader  usually {@link BlobDownloader#storage}
     */
    public ArmModelRegistry(HttpPipeline pipeline, URI armEndpoint, String apiVersion, AzureMlResource resource,
                            BlobDownloader downloader) {
        this.arm = new ArmClient(Objects.requireNonNull(pipeline, "pipeline"), armEndpoint, apiVersion);
        this.resource = Objects.requireNonNull(resource, "resource");
        this.downloader = Objects.requireNonNull(downloader, "downloader");
    }

    public AzureMlResource resource() {
        return resource;
    }

    @Override
    public List<ModelVersion> versions(String model) {
        try {
            return arm.list(versionsPath(model)).orElse(List.of()).stream()
                    .map(node -> toVersion(model, node))
                    .sorted(NEWEST_FIRST)
                    .toList();
        } catch (ArmException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    @Override
    public Optional<ModelVersion> find(String model, String version) {
        try {
            return arm.get(versionPath(model, version)).map(node -> toVersion(model, node));
        } catch (ArmException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    @Override
    public ModelVersion setTags(String model, String version, Map<String, String> tags) throws IOException {
        String path = versionPath(model, version);
        JsonNode current = arm.get(path).orElseThrow(() -> new NoSuchElementException(
                "version " + version + " of model " + model + " does not exist in " + resource));
        return toVersion(model, arm.put(path, writable(current, tags)));
    }

    @Override
    public InputStream openArtifact(ModelVersion version) throws IOException {
        JsonNode node = arm.get(versionPath(version.model(), version.version())).orElseThrow(() ->
                new FileNotFoundException("version " + version.version() + " of model " + version.model()
                        + " does not exist in " + resource));
        String modelUri = node.path("properties").path("modelUri").asText("");
        return downloader.open(blobUrl(modelUri));
    }

    /**
     * The body to PUT back: what the createOrUpdate example sends, {@code {"properties": {...}}}, with every
     * property as read except the read-only {@code provisioningState}; {@code id}, {@code name},
     * {@code type} and {@code systemData} are read-only and dropped.
     */
    static ObjectNode writable(JsonNode current, Map<String, String> tags) {
        ObjectNode properties = current.path("properties").isObject()
                ? ((ObjectNode) current.path("properties")).deepCopy() : Json.MAPPER.createObjectNode();
        properties.remove("provisioningState");
        properties.set("tags", Json.MAPPER.valueToTree(new LinkedHashMap<>(tags)));
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.set("properties", properties);
        return body;
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
    private static URI storageUrl(String host, String container, String path, String modelUri) throws IOException {
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

    private String versionsPath(String model) {
        return resource.id() + "/models/" + segment(requireName("model", model)) + "/versions";
    }

    private String versionPath(String model, String version) {
        return versionsPath(model) + "/" + segment(requireName("version", version));
    }

    private static String requireName(String what, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be empty, was '" + value + "'");
        }
        return value;
    }

    static ModelVersion toVersion(String model, JsonNode node) {
        JsonNode p = node.path("properties");
        String version = node.path("name").asText(null);
        if (version == null) {
            String id = node.path("id").asText("");
            version = id.substring(id.lastIndexOf('/') + 1);
        }
        Map<String, String> properties = strings(p.path("properties"));
        String sha256 = properties.get("sha256");
        String jobName = p.path("jobName").asText("");
        return new ModelVersion(model, version, strings(p.path("tags")), properties,
                jobName.isBlank() ? null : jobName,
                instant(node.path("systemData").path("createdAt")),
                sha256 != null && SHA256.matcher(sha256).matches() ? sha256.toLowerCase(Locale.ROOT) : null);
    }

    private static Map<String, String> strings(JsonNode node) {
        Map<String, String> map = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> {
            if (!e.getValue().isNull()) {
                map.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString());
            }
        });
        return map;
    }

    /** ARM writes e.g. {@code 2020-01-01T12:34:56.999Z} or {@code 2023-08-18T21:53:03.0292962+00:00}. */
    private static Instant instant(JsonNode node) {
        try {
            return node.isTextual() ? OffsetDateTime.parse(node.asText()).toInstant() : Instant.EPOCH;
        } catch (DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }

    private static long numeric(String version) {
        try {
            return Long.parseLong(version);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}

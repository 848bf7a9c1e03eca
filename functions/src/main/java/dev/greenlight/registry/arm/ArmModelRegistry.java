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
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The registry in Azure ML: the model versions of one workspace or registry, through ARM.
 * <pre>
 * GET {resource}/models/{model}/versions[?$skipToken..]   list (paged by nextLink)
 * GET {resource}/models/{model}/versions/{version}        one version
 * PUT {resource}/models/{model}/versions/{version}        the whole version (there is no PATCH)
 * GET {workspace}/datastores/{name}                       where an azureml:// modelUri lives
 * GET {workspace}/datastores?isDefault=true               where {@link #register} uploads
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
 *
 * <p>{@link #register} adds a version to a workspace: the file goes to the workspace's default datastore
 * through the {@link BlobUploader}, then the version is PUT pointing at it.
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
    /** Azure ML's rule for model names (the {@code name} of ModelVersions_CreateOrUpdate). */
    private static final Pattern MODEL_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9\\-_]{0,254}");
    /** File names that need no escaping in a blob path or an {@code azureml://} URI. */
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,254}");
    /** {@link #register} uploads to {@code greenlight/{model}/{version}/{file}} in the default datastore. */
    static final String UPLOAD_FOLDER = "greenlight";
    static final String DESCRIPTION = "registered by greenlight";
    /** What the Azure ML CLI and SDK write for a model that is neither MLflow nor Triton. */
    static final String MODEL_TYPE = "custom_model";
    /** Version numbers tried when their upload path is already taken, before giving up. */
    private static final int MAX_CLAIMS = 10;
    /** Azure ML's "latest" is the most recently created; equal times fall back to the version number. */
    private static final Comparator<ModelVersion> NEWEST_FIRST = Comparator
            .comparing(ModelVersion::createdAt)
            .thenComparingLong((ModelVersion v) -> numeric(v.version()))
            .thenComparing(ModelVersion::version)
            .reversed();

    private final ArmClient arm;
    private final AzureMlResource resource;
    private final BlobDownloader downloader;
    /** Null when this instance only reads: {@link #register} then refuses. */
    private final BlobUploader uploader;

    /** A registry that reads and retags but cannot {@link #register}. */
    public ArmModelRegistry(HttpPipeline pipeline, URI armEndpoint, String apiVersion, AzureMlResource resource,
                            BlobDownloader downloader) {
        this(pipeline, armEndpoint, apiVersion, resource, downloader, null);
    }

    /**
     * @param pipeline    from {@link ArmPipeline#create}
     * @param armEndpoint {@link ArmPipeline#PUBLIC_CLOUD} or a sovereign cloud's ARM endpoint
     * @param apiVersion  {@link #DEFAULT_API_VERSION} unless there is a reason
     * @param downloader  usually {@link BlobDownloader#storage}
     * @param uploader    usually {@link BlobUploader#storage}; null when this instance never registers
     */
    public ArmModelRegistry(HttpPipeline pipeline, URI armEndpoint, String apiVersion, AzureMlResource resource,
                            BlobDownloader downloader, BlobUploader uploader) {
        this.arm = new ArmClient(Objects.requireNonNull(pipeline, "pipeline"), armEndpoint, apiVersion);
        this.resource = Objects.requireNonNull(resource, "resource");
        this.downloader = Objects.requireNonNull(downloader, "downloader");
        this.uploader = uploader;
    }

    public AzureMlResource resource() {
        return resource;
    }

    @Override
    public List<ModelVersion> versions(String model) {
        return arm.list(versionsPath(model)).orElse(List.of()).stream()
                .map(node -> toVersion(model, node))
                .sorted(NEWEST_FIRST)
                .toList();
    }

    @Override
    public Optional<ModelVersion> find(String model, String version) {
        return arm.get(versionPath(model, version)).map(node -> toVersion(model, node));
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
     * Registers a file as the next version of a model in the workspace, as {@code greenlight register} does:
     * <ol>
     * <li>{@code GET {ws}/datastores?isDefault=true}: the default datastore, which must be AzureBlob (the item
     *     with {@code properties.isDefault} is taken, so a service that ignored the filter is fine too);
     * <li>{@code GET {ws}/models/{model}/versions?listViewType=All}: the next number is the highest numeric
     *     version, archived ones included, plus 1 (1 for a new model);
     * <li>the file is uploaded to {@code greenlight/{model}/{version}/{file name}} in that datastore's container,
     *     as a create that never replaces a blob, and its SHA-256 is computed as it is read. A blob already there
     *     means another registration claimed the number, or an earlier attempt failed after uploading: the next
     *     number is tried instead (so numbers can be skipped), up to {@value #MAX_CLAIMS} of them;
     * <li>{@code GET {ws}/models/{model}/versions/{version}} must answer 404, then {@code PUT} the version with
     *     {@code modelUri = azureml://datastores/{datastore}/paths/greenlight/{model}/{version}/{file name}},
     *     the properties plus {@code sha256}, the tags and {@code jobName} = the run id;
     * <li>{@code GET} it back, which must carry the digest of the uploaded file.
     * </ol>
     * Azure ML does not reserve version numbers, and its createOrUpdate is a plain PUT: model versions carry no
     * ETag and the contract has no {@code If-None-Match}, so a client outside Greenlight that creates the same
     * version between step 4's GET and PUT would be overwritten or would make the PUT fail. The version is read
     * right before the PUT to shrink that window to one request; one that exists is an error, never overwritten,
     * and the digest check of step 5 reports a race lost inside the window.
     *
     * @param properties metrics and other key/values; {@code sha256} is set to the file's digest
     * @param runId      the training job that produced the file ({@code jobName}), or null
     * @param progress   told the bytes uploaded so far (from 0 again if a taken number moves the upload on), or null
     * @throws UnsupportedOperationException for an Azure ML registry, which takes versions another way
     * @throws IllegalArgumentException      for a model or file name Azure ML or a blob path cannot take
     * @throws ArmAccessDenied               when the identity may not list datastores, upload or PUT
     * @throws ArmException                  (status 409) when the version appeared meanwhile; for other failures
     */
    public ModelVersion register(String model, Path file, Map<String, String> properties, Map<String, String> tags,
                                 String runId, LongConsumer progress) throws IOException {
        if (resource.kind() == AzureMlResource.Kind.REGISTRY) {
            throw new UnsupportedOperationException("cannot register into " + resource + ": it is an Azure ML "
                    + "registry, which takes new versions through a pending upload to a temporary SAS URL, not through a "
                    + "datastore; register into a workspace and share the version to the registry from there");
        }
        if (uploader == null) {
            throw new IllegalStateException("this ArmModelRegistry was built without a BlobUploader, so it cannot "
                    + "register; pass BlobUploader.storage(...)");
        }
        if (model == null || !MODEL_NAME.matcher(model).matches()) {
            throw new IllegalArgumentException("model name must be 1-255 letters, digits, '-' or '_', starting with a "
                    + "letter or digit (Azure ML's rule), was '" + model + "'");
        }
        String fileName = file.getFileName() == null ? "" : file.getFileName().toString();
        if (!FILE_NAME.matcher(fileName).matches()) {
            throw new IllegalArgumentException("file name must be letters, digits, '.', '-' or '_' to go into a blob "
                    + "path and an azureml:// URI unescaped, was '" + fileName + "'");
        }
        if (!Files.isRegularFile(file)) {
            throw new FileNotFoundException("no such file: " + file);
        }
        Map<String, String> versionProperties = new LinkedHashMap<>(properties);
        Map<String, String> versionTags = new LinkedHashMap<>(tags);
        String jobName = runId == null || runId.isBlank() ? null : runId;
        LongConsumer report = progress == null ? bytes -> { } : progress;

        DefaultDatastore datastore = defaultDatastore();
        long version = nextVersion(model);
        String blobPath;
        URI blobUrl;
        String sha256;
        for (int claim = 1; ; claim++, version++) {
            blobPath = UPLOAD_FOLDER + "/" + model + "/" + version + "/" + fileName;
            blobUrl = storageUrl(datastore.host(), datastore.container(), blobPath, datastore.uri(blobPath));
            sha256 = upload(blobUrl, file, report);
            if (sha256 != null) {
                break;
            }
            if (claim == MAX_CLAIMS) {
                throw new ArmException("cannot claim a version number for model " + model + " in " + resource + ": "
                        + "the upload paths of the last " + MAX_CLAIMS + " numbers, up to " + blobUrl
                        + ", already hold blobs (other registrations under way, or earlier attempts that failed after "
                        + "uploading)", 409, "BlobAlreadyExists", null);
            }
        }
        String name = Long.toString(version);
        String path = versionPath(model, name);
        if (arm.get(path).isPresent()) {
            throw new ArmException("version " + name + " of model " + model + " was registered in " + resource
                    + " by another client while the file was uploading (Azure ML does not reserve version numbers); "
                    + "it was not overwritten. The file stays at " + blobUrl + "; register again to take the next "
                    + "number", 409, "ModelVersionExists", null);
        }
        JsonNode stored = arm.put(path, registration(datastore.uri(blobPath), versionProperties, sha256,
                versionTags, jobName));
        ModelVersion registered = toVersion(model, arm.get(path).orElse(stored));
        if (!sha256.equals(registered.sha256())) {
            throw new ArmException("version " + name + " of model " + model + " in " + resource + " does not carry "
                    + "the uploaded file's digest (sha256 " + sha256 + ", found " + registered.sha256() + "): another "
                    + "client registered the same version at the same time", 409, "ModelVersionExists", null);
        }
        return registered;
    }

    /** A new version's PUT body: the createOrUpdate example's fields Greenlight has values for, and {@code jobName}. */
    static ObjectNode registration(String modelUri, Map<String, String> properties, String sha256,
                                   Map<String, String> tags, String jobName) {
        ObjectNode p = Json.MAPPER.createObjectNode();
        p.put("description", DESCRIPTION);
        p.put("modelType", MODEL_TYPE);
        p.put("modelUri", modelUri);
        ObjectNode props = Json.MAPPER.valueToTree(new LinkedHashMap<>(properties));
        props.put("sha256", sha256);
        p.set("properties", props);
        p.set("tags", Json.MAPPER.valueToTree(new LinkedHashMap<>(tags)));
        if (jobName != null) {
            p.put("jobName", jobName);
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.set("properties", p);
        return body;
    }

    /** The workspace's default datastore, where new versions are uploaded. */
    private record DefaultDatastore(String name, String host, String container) {
        String uri(String blobPath) {
            return "azureml://datastores/" + name + "/paths/" + blobPath;
        }
    }

    private DefaultDatastore defaultDatastore() throws IOException {
        String path = resource.id() + "/datastores?isDefault=true";
        List<JsonNode> listed = arm.list(path).orElse(List.of());
        JsonNode ds = listed.stream().filter(n -> n.path("properties").path("isDefault").asBoolean(false))
                .findFirst().orElseThrow(() -> new IOException("the workspace " + resource + " has no default "
                        + "datastore (GET " + path + " listed " + listed.size() + " datastores, none with isDefault)"));
        JsonNode p = ds.path("properties");
        String name = ds.path("name").asText("");
        String type = p.path("datastoreType").asText("");
        String account = p.path("accountName").asText("");
        String container = p.path("containerName").asText("");
        if (!type.equals("AzureBlob") || name.isEmpty() || account.isEmpty() || container.isEmpty()) {
            throw new IOException("the default datastore '" + name + "' of " + resource + " is not an AzureBlob "
                    + "datastore with an account and container (datastoreType '" + type + "'); greenlight uploads "
                    + "new versions to blob storage only, so make a blob datastore the workspace default");
        }
        String endpoint = p.path("endpoint").asText("");
        return new DefaultDatastore(name, account + ".blob." + (endpoint.isEmpty() ? "core.windows.net" : endpoint),
                container);
    }

    /** The highest numeric version plus 1; archived versions keep their numbers but are listed only when asked. */
    private long nextVersion(String model) throws ArmException {
        return arm.list(versionsPath(model) + "?listViewType=All").orElse(List.of()).stream()
                .mapToLong(node -> numeric(toVersion(model, node).version()))
                .max().orElse(0) + 1;
    }

    /** Uploads the file as a new blob, digesting every byte read; its hex SHA-256, or null when the blob exists. */
    private String upload(URI blobUrl, Path file, LongConsumer progress) throws IOException {
        long size = Files.size(file);
        try (Digesting in = new Digesting(Files.newInputStream(file))) {
            if (!uploader.create(blobUrl, in, size, progress)) {
                return null;
            }
            if (in.count != size) {
                throw new IOException("uploaded " + in.count + " bytes of " + file + ", which had " + size
                        + " when the upload began; did it change meanwhile? " + blobUrl + " may be incomplete");
            }
            return HexFormat.of().formatHex(in.getMessageDigest().digest());
        }
    }

    /** A SHA-256 digest and a count of the bytes read through it. */
    private static final class Digesting extends DigestInputStream {
        long count;

        Digesting(InputStream in) {
            super(in, sha256());
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count += b < 0 ? 0 : 1;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            count += Math.max(n, 0);
            return n;
        }

        private static MessageDigest sha256() {
            try {
                return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java platform has SHA-256", e);
            }
        }
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

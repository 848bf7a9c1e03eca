package dev.greenlight.registry.arm;

import com.azure.core.http.HttpPipeline;
import com.fasterxml.jackson.databind.JsonNode;
import dev.greenlight.registry.ModelRegistry;
import dev.greenlight.registry.ModelVersion;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * The registry in Azure ML: the model versions of one workspace or registry, through ARM.
 * <pre>
 * GET {resource}/models/{model}/versions[?$skipToken..]   list (paged by nextLink)
 * GET {resource}/models/{model}/versions/{version}        one version
 * PUT {resource}/models/{model}/versions/{version}        the whole version (there is no PATCH)
 * GET {workspace}/datastores/{name}                       where an azureml:// modelUri lives
 * GET {workspace}/datastores?isDefault=true               where {@link #register} uploads
 * </pre>
 * This class owns the port's operations and delegates the rest: {@link ModelVersionJson} maps ARM JSON to
 * {@link ModelVersion} and back, {@link ModelUriResolver} turns a {@code modelUri} into the blob URL read
 * through the {@link BlobDownloader} (the storage token goes only to Azure Storage hosts), and
 * {@link ArmRegistration} adds new versions. {@link ArmClient} carries the requests.
 *
 * <p>{@link #setTags} is read-modify-write without a precondition (ARM model versions carry no ETag):
 * a concurrent edit of the same version between the GET and the PUT is overwritten.
 */
public final class ArmModelRegistry implements ModelRegistry {
    /** The ARM api-version used unless another is given. 2024-04-01 has the same model version contract. */
    public static final String DEFAULT_API_VERSION = "2024-10-01";

    private final ArmClient arm;
    private final AzureMlResource resource;
    private final BlobDownloader downloader;
    private final ModelUriResolver uris;
    private final ArmRegistration registration;

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
        this.uris = new ModelUriResolver(arm, resource);
        this.registration = new ArmRegistration(arm, resource, uploader);
    }

    public AzureMlResource resource() {
        return resource;
    }

    @Override
    public List<ModelVersion> versions(String model) {
        return arm.list(resource.versionsPath(model)).orElse(List.of()).stream()
                .map(node -> ModelVersionJson.toVersion(model, node))
                .sorted(ModelVersionJson.NEWEST_FIRST)
                .toList();
    }

    @Override
    public Optional<ModelVersion> find(String model, String version) {
        return arm.get(resource.versionPath(model, version)).map(node -> ModelVersionJson.toVersion(model, node));
    }

    @Override
    public ModelVersion setTags(String model, String version, Map<String, String> tags) throws IOException {
        String path = resource.versionPath(model, version);
        JsonNode current = arm.get(path).orElseThrow(() -> new NoSuchElementException(
                "version " + version + " of model " + model + " does not exist in " + resource));
        return ModelVersionJson.toVersion(model, arm.put(path, ModelVersionJson.writable(current, tags)));
    }

    @Override
    public InputStream openArtifact(ModelVersion version) throws IOException {
        JsonNode node = arm.get(resource.versionPath(version.model(), version.version())).orElseThrow(() ->
                new FileNotFoundException("version " + version.version() + " of model " + version.model()
                        + " does not exist in " + resource));
        String modelUri = node.path("properties").path("modelUri").asText("");
        return downloader.open(uris.blobUrl(modelUri));
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
     *     number is tried instead (so numbers can be skipped), up to {@value ArmRegistration#MAX_CLAIMS} of them;
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
        return registration.register(model, file, properties, tags, runId, progress);
    }
}

package dev.greenlight.registry.arm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.greenlight.registry.ModelVersion;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import java.util.regex.Pattern;

/**
 * Adds new versions to an Azure ML workspace: picks the next version number, uploads the file to the
 * workspace's default datastore through the {@link BlobUploader} (digesting it as it goes), PUTs the version
 * pointing at the upload and checks that what ARM stored carries the file's digest.
 */
final class ArmRegistration {
    /** Azure ML's rule for model names (the {@code name} of ModelVersions_CreateOrUpdate). */
    private static final Pattern MODEL_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9\\-_]{0,254}");
    /** File names that need no escaping in a blob path or an {@code azureml://} URI. */
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,254}");
    /** {@link #register} uploads to {@code greenlight/{model}/{version}/{file}} in the default datastore. */
    static final String UPLOAD_FOLDER = "greenlight";
    /** Version numbers tried when their upload path is already taken, before giving up. */
    static final int MAX_CLAIMS = 10;

    private final ArmClient arm;
    private final AzureMlResource resource;
    /** Null when the registry only reads: {@link #register} then refuses. */
    private final BlobUploader uploader;

    ArmRegistration(ArmClient arm, AzureMlResource resource, BlobUploader uploader) {
        this.arm = arm;
        this.resource = resource;
        this.uploader = uploader;
    }

    /** The steps are listed, with what each failure means, at {@link ArmModelRegistry#register}. */
    ModelVersion register(String model, Path file, Map<String, String> properties, Map<String, String> tags,
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
            blobUrl = ModelUriResolver.storageUrl(datastore.host(), datastore.container(), blobPath, datastore.uri(blobPath));
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
        String path = resource.versionPath(model, name);
        if (arm.get(path).isPresent()) {
            throw new ArmException("version " + name + " of model " + model + " was registered in " + resource
                    + " by another client while the file was uploading (Azure ML does not reserve version numbers); "
                    + "it was not overwritten. The file stays at " + blobUrl + "; register again to take the next "
                    + "number", 409, "ModelVersionExists", null);
        }
        JsonNode stored = arm.put(path, ModelVersionJson.registration(datastore.uri(blobPath), versionProperties, sha256,
                versionTags, jobName));
        ModelVersion registered = ModelVersionJson.toVersion(model, arm.get(path).orElse(stored));
        if (!sha256.equals(registered.sha256())) {
            throw new ArmException("version " + name + " of model " + model + " in " + resource + " does not carry "
                    + "the uploaded file's digest (sha256 " + sha256 + ", found " + registered.sha256() + "): another "
                    + "client registered the same version at the same time", 409, "ModelVersionExists", null);
        }
        return registered;
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
        return arm.list(resource.versionsPath(model) + "?listViewType=All").orElse(List.of()).stream()
                .mapToLong(node -> ModelVersionJson.numeric(ModelVersionJson.toVersion(model, node).version()))
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
}

package dev.greenlight.registry.arm;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static dev.greenlight.registry.arm.ArmFixtures.API_VERSION;
import static dev.greenlight.registry.arm.ArmFixtures.parameters;
import static dev.greenlight.registry.arm.ArmFixtures.requestBody;
import static dev.greenlight.registry.arm.ArmFixtures.responseBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.greenlight.json.Json;
import dev.greenlight.registry.ModelVersion;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ArmModelRegistry#register} against WireMock answering with the documented ARM examples, and a fake uploader. */
class ArmModelRegistryRegisterTest {
    private static final String GET = "2024-04-01/Workspace/ModelVersion/get.json";
    private static final String LIST = "2024-10-01/Workspace/ModelVersion/list.json";
    private static final String PUT = "2024-04-01/Workspace/ModelVersion/createOrUpdate.json";
    private static final String DATASTORES = "2024-10-01/Datastore/list.json";
    private static final String REGISTRY_GET = "2024-04-01/Registry/ModelVersion/get.json";

    private static final String WORKSPACE = "/subscriptions/" + parameters(GET).path("subscriptionId").asText()
            + "/resourceGroups/" + parameters(GET).path("resourceGroupName").asText()
            + "/providers/Microsoft.MachineLearningServices/workspaces/" + parameters(GET).path("workspaceName").asText();
    private static final String REGISTRY = "/subscriptions/" + parameters(REGISTRY_GET).path("subscriptionId").asText()
            + "/resourceGroups/" + parameters(REGISTRY_GET).path("resourceGroupName").asText()
            + "/providers/Microsoft.MachineLearningServices/registries/" + parameters(REGISTRY_GET).path("registryName").asText();
    private static final String MODEL = "iris-clf";
    private static final String VERSIONS = WORKSPACE + "/models/" + MODEL + "/versions";
    private static final String BLOB_STORE = "workspaceblobstore";
    private static final String CONTAINER_URL = "https://mlstore42.blob.core.windows.net/azureml-blobstore-1";
    private static final Map<String, String> METRICS = Map.of("f1", "0.9778", "accuracy", "0.9778");
    private static final Map<String, String> TAGS = Map.of("dynamic", "true", "owner", "ml-team");
    private static final String RUN_ID = "train-job-42";

    private final WireMockServer wm = new WireMockServer(options().httpDisabled(true).dynamicHttpsPort());
    private final FakeUploader uploader = new FakeUploader();
    private final List<Long> progress = new CopyOnWriteArrayList<>();
    private String base;
    private Path file;
    private byte[] bytes;
    private String sha256;

    @TempDir
    Path dir;

    /** Reads what it is given in 8 KiB steps, reporting each; a URL in {@link #taken} already holds a blob. */
    private static final class FakeUploader implements BlobUploader {
        final List<URI> created = new CopyOnWriteArrayList<>();
        final List<byte[]> contents = new CopyOnWriteArrayList<>();
        final Set<URI> taken = new HashSet<>();

        @Override
        public boolean create(URI blobUrl, InputStream content, long length, LongConsumer progress) throws IOException {
            if (taken.contains(blobUrl)) {
                return false;
            }
            byte[] all = new byte[(int) length];
            int sent = 0;
            for (int n; sent < length && (n = content.read(all, sent, Math.min(8192, all.length - sent))) > 0; ) {
                sent += n;
                progress.accept(sent);
            }
            created.add(blobUrl);
            contents.add(all);
            return true;
        }
    }

    @BeforeEach
    void start() throws IOException, NoSuchAlgorithmException {
        wm.start();
        base = "https://localhost:" + wm.httpsPort();
        bytes = new byte[100_000];
        new Random(42).nextBytes(bytes);
        file = Files.write(dir.resolve("model.onnx"), bytes);
        sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @AfterEach
    void stop() {
        wm.stop();
    }

    private ArmModelRegistry registry(String resourceId) {
        return new ArmModelRegistry(
                ArmPipeline.create(new ArmFixtures.FakeCredential(), URI.create(base), ArmFixtures.TRUSTING_HTTP_CLIENT,
                        ArmFixtures.FAST_RETRIES),
                URI.create(base), API_VERSION, AzureMlResource.parse(resourceId),
                url -> InputStream.nullInputStream(), uploader);
    }

    private ModelVersion register() throws IOException {
        return registry(WORKSPACE).register(MODEL, file, METRICS, TAGS, RUN_ID, progress::add);
    }

    private static String armError(String code, String message) {
        return "{\"error\":{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}}";
    }

    /** The documented datastore list item with a name, type, default flag, account and container patched in. */
    private static ObjectNode datastore(String name, String type, boolean isDefault) {
        ObjectNode ds = (ObjectNode) responseBody(DATASTORES).path("value").get(0).deepCopy();
        ds.put("name", name);
        ds.put("id", WORKSPACE + "/datastores/" + name);
        ((ObjectNode) ds.path("properties")).put("datastoreType", type).put("isDefault", isDefault)
                .put("accountName", "mlstore42").put("containerName", "azureml-blobstore-1");
        return ds;
    }

    private void stubDatastores(JsonNode... items) {
        ObjectNode page = responseBody(DATASTORES);
        page.remove("nextLink");
        page.set("value", Json.MAPPER.createArrayNode().addAll(List.of(items)));
        wm.stubFor(get(urlPathEqualTo(WORKSPACE + "/datastores")).willReturn(okJson(page.toString())));
    }

    /** The documented list item for each version name; the example's own item (named "string") stays too. */
    private void stubVersions(String... names) {
        ObjectNode page = responseBody(LIST);
        page.remove("nextLink");
        for (String name : names) {
            page.withArray("value").add(stored(name, Map.of()));
        }
        wm.stubFor(get(urlPathEqualTo(VERSIONS)).willReturn(okJson(page.toString())));
    }

    /** The documented get body for a version with these properties. */
    private static ObjectNode stored(String name, Map<String, String> properties) {
        ObjectNode body = responseBody(GET);
        body.put("id", VERSIONS + "/" + name);
        body.put("name", name);
        ((ObjectNode) body.path("properties")).set("properties", Json.MAPPER.valueToTree(properties));
        return body;
    }

    /** Version {@code name} is absent until PUT, then reads back as stored with the file's digest. */
    private void stubRegistration(String name) {
        Map<String, String> properties = new LinkedHashMap<>(METRICS);
        properties.put("sha256", sha256);
        String body = stored(name, properties).toString();
        wm.stubFor(get(urlPathEqualTo(VERSIONS + "/" + name)).inScenario("register").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(404).withBody(armError("UserError", "Not found"))));
        wm.stubFor(put(urlPathEqualTo(VERSIONS + "/" + name)).inScenario("register").willSetStateTo("registered")
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json").withBody(body)));
        wm.stubFor(get(urlPathEqualTo(VERSIONS + "/" + name)).inScenario("register").whenScenarioStateIs("registered")
                .willReturn(okJson(body)));
    }

    private void stubWorkspaceWithVersions(String... names) {
        stubDatastores(datastore(BLOB_STORE, "AzureBlob", true));
        stubVersions(names);
    }

    @Test
    void registers_the_next_version_after_the_highest_number_and_returns_it_as_read_back() throws IOException {
        stubWorkspaceWithVersions("1", "3", "2");
        stubRegistration("4");

        ModelVersion v = register();

        assertThat(v.model()).isEqualTo(MODEL);
        assertThat(v.version()).isEqualTo("4");
        assertThat(v.sha256()).isEqualTo(sha256);
        assertThat(v.properties()).containsEntry("f1", "0.9778");
        List<String> calls = new ArrayList<>(wm.getAllServeEvents().stream()
                .map(e -> e.getRequest().getMethod() + " " + e.getRequest().getUrl().replaceFirst("\\?.*", ""))
                .toList());
        Collections.reverse(calls); // WireMock lists the newest first
        assertThat(calls).containsExactly(
                "GET " + WORKSPACE + "/datastores",
                "GET " + VERSIONS,
                "GET " + VERSIONS + "/4",
                "PUT " + VERSIONS + "/4",
                "GET " + VERSIONS + "/4");
    }

    @Test
    void lists_archived_versions_too_and_asks_for_the_default_datastore_keeping_the_api_version() throws IOException {
        stubWorkspaceWithVersions("1");
        stubRegistration("2");

        register();

        wm.verify(getRequestedFor(urlPathEqualTo(WORKSPACE + "/datastores"))
                .withQueryParam("isDefault", equalTo("true")).withQueryParam("api-version", equalTo(API_VERSION)));
        wm.verify(getRequestedFor(urlPathEqualTo(VERSIONS))
                .withQueryParam("listViewType", equalTo("All")).withQueryParam("api-version", equalTo(API_VERSION)));
        List<LoggedRequest> requests = wm.findAll(anyRequestedFor(anyUrl()));
        assertThat(requests).allSatisfy(r -> {
            assertThat(r.queryParameter("api-version").values()).as(r.getUrl()).containsExactly(API_VERSION);
            assertThat(r.getHeader("Authorization")).as(r.getUrl()).isEqualTo("Bearer " + ArmFixtures.TOKEN);
        });
    }

    @Test
    void a_model_without_versions_starts_at_1() throws IOException {
        stubDatastores(datastore(BLOB_STORE, "AzureBlob", true));
        wm.stubFor(get(urlPathEqualTo(VERSIONS)).willReturn(aResponse().withStatus(404)
                .withBody(armError("UserError", "Not found"))));
        stubRegistration("1");

        assertThat(register().version()).isEqualTo("1");
        assertThat(uploader.created).containsExactly(URI.create(CONTAINER_URL + "/greenlight/iris-clf/1/model.onnx"));
    }

    @Test
    void uploads_the_file_to_greenlight_model_version_in_the_default_datastore_reporting_progress() throws IOException {
        stubWorkspaceWithVersions("1", "2", "3");
        stubRegistration("4");

        register();

        assertThat(uploader.created).containsExactly(URI.create(CONTAINER_URL + "/greenlight/iris-clf/4/model.onnx"));
        assertThat(uploader.contents.get(0)).isEqualTo(bytes);
        assertThat(progress).hasSizeGreaterThan(1).isSorted().last().isEqualTo((long) bytes.length);
    }

    @Test
    void puts_the_model_uri_metrics_with_the_files_sha256_tags_and_job_name() throws IOException {
        stubWorkspaceWithVersions("1", "2", "3");
        stubRegistration("4");

        register();

        wm.verify(putRequestedFor(urlPathEqualTo(VERSIONS + "/4")).withRequestBody(equalToJson("""
                {"properties": {
                  "description": "registered by greenlight",
                  "modelType": "custom_model",
                  "modelUri": "azureml://datastores/workspaceblobstore/paths/greenlight/iris-clf/4/model.onnx",
                  "properties": {"f1": "0.9778", "accuracy": "0.9778", "sha256": "%s"},
                  "tags": {"dynamic": "true", "owner": "ml-team"},
                  "jobName": "train-job-42"
                }}""".formatted(sha256), true, false)));
        // Every field sent is one the createOrUpdate example sends, or jobName (a ModelVersion field it leaves out).
        JsonNode sent = Json.MAPPER.readTree(wm.findAll(putRequestedFor(anyUrl())).get(0).getBodyAsString());
        List<String> documented = new ArrayList<>();
        requestBody(PUT).path("properties").fieldNames().forEachRemaining(documented::add);
        documented.add("jobName");
        List<String> fields = new ArrayList<>();
        sent.path("properties").fieldNames().forEachRemaining(fields::add);
        assertThat(fields).isSubsetOf(documented);
    }

    @Test
    void uses_the_datastore_marked_default_even_when_the_service_lists_others() throws IOException {
        stubDatastores(datastore("workspacefilestore", "AzureFile", false), datastore(BLOB_STORE, "AzureBlob", true),
                datastore("otherblobstore", "AzureBlob", false));
        stubVersions("1");
        stubRegistration("2");

        register();

        wm.verify(putRequestedFor(urlPathEqualTo(VERSIONS + "/2")).withRequestBody(equalToJson(
                "{\"properties\":{\"modelUri\":\"azureml://datastores/workspaceblobstore/paths/greenlight/iris-clf/2/model.onnx\"}}",
                true, true)));
    }

    @Test
    void a_default_datastore_that_is_not_blob_storage_is_a_clear_error() {
        stubDatastores(datastore("workspacefilestore", "AzureFile", true));
        stubVersions("1");

        assertThatThrownBy(this::register).isInstanceOf(IOException.class)
                .hasMessageContaining("workspacefilestore").hasMessageContaining("AzureFile")
                .hasMessageContaining("AzureBlob");
        assertThat(uploader.created).isEmpty();
        wm.verify(0, putRequestedFor(anyUrl()));
    }

    @Test
    void a_workspace_without_a_default_datastore_is_a_clear_error() {
        stubDatastores(datastore("otherblobstore", "AzureBlob", false));

        assertThatThrownBy(this::register).isInstanceOf(IOException.class)
                .hasMessageContaining("no default datastore").hasMessageContaining(WORKSPACE);
        assertThat(uploader.created).isEmpty();
    }

    @Test
    void a_version_registered_meanwhile_is_an_error_and_is_not_overwritten() {
        stubWorkspaceWithVersions("1", "2", "3");
        wm.stubFor(get(urlPathEqualTo(VERSIONS + "/4")).willReturn(okJson(stored("4", Map.of()).toString())));

        assertThatThrownBy(this::register).isInstanceOfSatisfying(ArmException.class, e -> {
            assertThat(e.status()).isEqualTo(409);
            assertThat(e.getMessage()).contains("version 4 of model iris-clf was registered")
                    .contains("not overwritten").contains(CONTAINER_URL + "/greenlight/iris-clf/4/model.onnx");
        });
        wm.verify(0, putRequestedFor(anyUrl()));
    }

    @Test
    void a_read_back_without_the_uploaded_digest_is_a_lost_race() {
        stubWorkspaceWithVersions("1", "2", "3");
        stubRegistration("4");
        wm.stubFor(get(urlPathEqualTo(VERSIONS + "/4")).inScenario("register").whenScenarioStateIs("registered")
                .willReturn(okJson(stored("4", Map.of("sha256", "0".repeat(64))).toString())));

        assertThatThrownBy(this::register).isInstanceOfSatisfying(ArmException.class, e -> {
            assertThat(e.status()).isEqualTo(409);
            assertThat(e.getMessage()).contains("does not carry the uploaded file's digest").contains(sha256);
        });
    }

    @Test
    void an_upload_path_already_taken_moves_on_to_the_next_number() throws IOException {
        stubWorkspaceWithVersions("1", "2", "3");
        stubRegistration("5");
        uploader.taken.add(URI.create(CONTAINER_URL + "/greenlight/iris-clf/4/model.onnx"));

        assertThat(register().version()).isEqualTo("5");
        assertThat(uploader.created).containsExactly(URI.create(CONTAINER_URL + "/greenlight/iris-clf/5/model.onnx"));
        wm.verify(0, getRequestedFor(urlPathEqualTo(VERSIONS + "/4")));
        wm.verify(0, putRequestedFor(urlPathEqualTo(VERSIONS + "/4")));
    }

    @Test
    void a_forbidden_put_is_access_denied_naming_the_version() {
        stubWorkspaceWithVersions("1", "2", "3");
        stubRegistration("4");
        wm.stubFor(put(urlPathEqualTo(VERSIONS + "/4")).willReturn(aResponse().withStatus(403)
                .withBody(armError("AuthorizationFailed", "no write"))));

        assertThatThrownBy(this::register).isInstanceOf(ArmAccessDenied.class)
                .hasMessageContaining(VERSIONS + "/4").hasMessageContaining("AuthorizationFailed");
    }

    @Test
    void an_azure_ml_registry_refuses_to_register_before_any_request() {
        assertThatThrownBy(() -> registry(REGISTRY).register(MODEL, file, METRICS, TAGS, null, null))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("registry").hasMessageContaining("workspace");
        assertThat(wm.getAllServeEvents()).isEmpty();
        assertThat(uploader.created).isEmpty();
    }

    @Test
    void a_model_name_azure_ml_refuses_is_rejected_before_any_request() {
        assertThatThrownBy(() -> registry(WORKSPACE).register("iris clf", file, METRICS, TAGS, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'iris clf'");
        assertThat(wm.getAllServeEvents()).isEmpty();
    }
}

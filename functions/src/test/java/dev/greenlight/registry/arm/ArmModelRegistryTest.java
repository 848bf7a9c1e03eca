package dev.greenlight.registry.arm;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
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

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.greenlight.json.Json;
import dev.greenlight.registry.ModelVersion;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The adapter against WireMock answering with the documented ARM examples. */
class ArmModelRegistryTest {
    private static final String GET = "2024-04-01/Workspace/ModelVersion/get.json";
    private static final String LIST = "2024-10-01/Workspace/ModelVersion/list.json";
    private static final String PUT = "2024-04-01/Workspace/ModelVersion/createOrUpdate.json";
    private static final String REGISTRY_GET = "2024-04-01/Registry/ModelVersion/get.json";
    private static final String REGISTRY_LIST = "2024-04-01/Registry/ModelVersion/list.json";
    private static final String DATASTORE = "2024-04-01/Datastore/get.json";

    /** The workspace and registry the examples name. */
    private static final String WORKSPACE = "/subscriptions/" + parameters(GET).path("subscriptionId").asText()
            + "/resourceGroups/" + parameters(GET).path("resourceGroupName").asText()
            + "/providers/Microsoft.MachineLearningServices/workspaces/" + parameters(GET).path("workspaceName").asText();
    private static final String REGISTRY = "/subscriptions/" + parameters(REGISTRY_GET).path("subscriptionId").asText()
            + "/resourceGroups/" + parameters(REGISTRY_GET).path("resourceGroupName").asText()
            + "/providers/Microsoft.MachineLearningServices/registries/" + parameters(REGISTRY_GET).path("registryName").asText();
    private static final String MODEL = "iris-clf";
    private static final String VERSIONS = WORKSPACE + "/models/" + MODEL + "/versions";

    private final WireMockServer wm = new WireMockServer(options().httpDisabled(true).dynamicHttpsPort());
    private final ArmFixtures.FakeCredential credential = new ArmFixtures.FakeCredential();
    private final List<URI> downloaded = new CopyOnWriteArrayList<>();
    private final BlobDownloader downloader = url -> {
        downloaded.add(url);
        return new java.io.ByteArrayInputStream("onnx-bytes".getBytes(StandardCharsets.UTF_8));
    };
    private String base;

    @BeforeEach
    void start() {
        wm.start();
        base = "https://localhost:" + wm.httpsPort();
    }

    @AfterEach
    void stop() {
        wm.stop();
    }

    private ArmModelRegistry registry(String resourceId) {
        return new ArmModelRegistry(
                ArmPipeline.create(credential, URI.create(base), ArmFixtures.TRUSTING_HTTP_CLIENT, ArmFixtures.FAST_RETRIES),
                URI.create(base), API_VERSION, AzureMlResource.parse(resourceId), downloader);
    }

    /** The documented get body with realistic values patched in; everything else as documented. */
    private static ObjectNode version(String name, String createdAt, Map<String, String> tags,
                                      Map<String, String> properties, String jobName, String modelUri) {
        ObjectNode body = responseBody(GET);
        body.put("id", VERSIONS + "/" + name);
        body.put("name", name);
        body.put("type", "Microsoft.MachineLearningServices/workspaces/models/versions");
        ObjectNode p = (ObjectNode) body.path("properties");
        p.set("tags", Json.MAPPER.valueToTree(tags));
        p.set("properties", Json.MAPPER.valueToTree(properties));
        if (jobName != null) {
            p.put("jobName", jobName);
        }
        p.put("modelUri", modelUri);
        ((ObjectNode) body.path("systemData")).put("createdAt", createdAt);
        return body;
    }

    private static ObjectNode version(String name, String createdAt) {
        return version(name, createdAt, Map.of(), Map.of(), null, "azureml://datastores/workspaceblobstore/paths/m/" + name);
    }

    private static ObjectNode page(String nextLink, JsonNode... items) {
        ObjectNode page = responseBody(LIST);
        page.set("value", Json.MAPPER.createArrayNode().addAll(List.of(items)));
        if (nextLink == null) {
            page.remove("nextLink");
        } else {
            page.put("nextLink", nextLink);
        }
        return page;
    }

    private static String armError(String code, String message) {
        return "{\"error\":{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}}";
    }

    // ---- listing and reading

    @Test
    void lists_every_page_by_following_next_link_newest_first() {
        wm.stubFor(get(urlPathEqualTo(VERSIONS)).withQueryParam("$skipToken", WireMock.absent())
                .willReturn(okJson(page(base + VERSIONS + "?api-version=" + API_VERSION + "&$skipToken=p2",
                        version("1", "2024-05-01T10:00:00.000Z"), version("3", "2024-05-03T10:00:00.0000000+00:00"))
                        .toString())));
        wm.stubFor(get(urlPathEqualTo(VERSIONS)).withQueryParam("$skipToken", equalTo("p2"))
                .willReturn(okJson(page(null, version("2", "2024-05-02T10:00:00Z")).toString())));

        List<ModelVersion> versions = registry(WORKSPACE).versions(MODEL);

        assertThat(versions).extracting(ModelVersion::version).containsExactly("3", "2", "1");
        wm.verify(2, getRequestedFor(urlPathEqualTo(VERSIONS)));
    }

    @Test
    void orders_by_version_number_when_creation_times_tie() {
        wm.stubFor(get(urlPathEqualTo(VERSIONS)).willReturn(okJson(page(null,
                version("9", "2024-05-01T10:00:00Z"), version("10", "2024-05-01T10:00:00Z")).toString())));

        assertThat(registry(WORKSPACE).versions(MODEL)).extracting(ModelVersion::version).containsExactly("10", "9");
    }

    @Test
    void maps_tags_properties_job_name_created_at_and_a_sha256_property() {
        String sha = "AB".repeat(32);
        wm.stubFor(get(urlPathEqualTo(VERSIONS + "/2")).willReturn(okJson(version("2",
                "2023-08-18T21:53:03.0292962+00:00", Map.of("dynamic", "true"),
                Map.of("f1", "0.9778", "sha256", sha, "hash_sha256", "c".repeat(64)), "train-job-42",
                "azureml://datastores/workspaceblobstore/paths/m/2").toString())));

        ModelVersion v = registry(WORKSPACE).find(MODEL, "2").orElseThrow();

        assertThat(v.model()).isEqualTo(MODEL);
        assertThat(v.version()).isEqualTo("2");
        assertThat(v.tags()).containsExactly(Map.entry("dynamic", "true"));
        assertThat(v.properties()).containsEntry("f1", "0.9778");
        assertThat(v.runId()).isEqualTo("train-job-42");
        assertThat(v.createdAt()).isEqualTo(Instant.parse("2023-08-18T21:53:03.0292962Z"));
        assertThat(v.sha256()).isEqualTo(sha.toLowerCase());
    }

    @Test
    void maps_the_documented_get_example_as_it_is() {
        wm.stubFor(get(urlPathEqualTo(VERSIONS + "/string")).willReturn(okJson(responseBody(GET).toString())));

        ModelVersion v = registry(WORKSPACE).find(MODEL, "string").orElseThrow();

        assertThat(v.version()).isEqualTo("string");
        assertThat(v.tags()).containsExactly(Map.entry("string", "string"));
        assertThat(v.properties()).containsExactly(Map.entry("string", "string"));
        assertThat(v.runId()).isNull();
        assertThat(v.createdAt()).isEqualTo(Instant.parse("2020-01-01T12:34:56.999Z"));
        assertThat(v.sha256()).isNull();
    }

    @Test
    void finds_nothing_when_the_version_does_not_exist() {
        wm.stubFor(get(urlPathEqualTo(VERSIONS + "/7")).willReturn(aResponse().withStatus(404)
                .withBody(armError("UserError", "Not found"))));

        assertThat(registry(WORKSPACE).find(MODEL, "7")).isEmpty();
    }

    @Test
    void an_unknown_model_has_no_versions() {
        wm.stubFor(get(urlPathEqualTo(VERSIONS)).willReturn(aResponse().withStatus(404)
                .withBody(armError("UserError", "Not found"))));

        assertThat(registry(WORKSPACE).versions(MODEL)).isEmpty();
    }

    @Test
    void a_missing_resource_group_is_an_error_not_an_empty_registry() {
        wm.stubFor(get(urlPathEqualTo(VERSIONS)).willReturn(aResponse().withStatus(404)
                .withBody(armError("ResourceGroupNotFound", "Resource group 'test-rg' could not be found."))));

        assertThatThrownBy(() -> registry(WORKSPACE).versions(MODEL))
                .isInstanceOfSatisfying(ArmException.class,
                        e -> assertThat(e.code()).isEqualTo("registry_not_found"))
                .hasMessageContaining("ResourceGroupNotFound").hasMessageContaining("test-rg");
    }

    @Test
    void refuses_a_next_link_that_leaves_the_arm_endpoint() {
        wm.stubFor(get(urlPathEqualTo(VERSIONS)).willReturn(okJson(page("https://elsewhere.example.com/steal",
                version("1", "2024-05-01T10:00:00Z")).toString())));

        assertThatThrownBy(() -> registry(WORKSPACE).versions(MODEL))
                .hasMessageContaining("refusing to follow nextLink").hasMessageContaining("elsewhere.example.com");
    }

    // ---- setTags

    @Test
    void set_tags_puts_back_the_whole_documented_body_with_only_the_tags_changed() throws IOException {
        ObjectNode current = responseBody(GET);
        ((ObjectNode) current.path("properties")).put("provisioningState", "Succeeded");
        ((ObjectNode) current.path("properties")).put("jobName", "train-job-42");
        wm.stubFor(get(urlPathEqualTo(VERSIONS + "/string")).willReturn(okJson(current.toString())));
        ObjectNode stored = responseBody(PUT);
        ((ObjectNode) stored.path("properties")).set("tags", Json.MAPPER.createObjectNode().put("baseline", "true"));
        wm.stubFor(put(urlPathEqualTo(VERSIONS + "/string")).willReturn(okJson(stored.toString())));

        ModelVersion updated = registry(WORKSPACE).setTags(MODEL, "string", Map.of("baseline", "true"));

        // The documented createOrUpdate request, plus what the GET had that it lacks, with the new tags.
        ObjectNode expected = requestBody(PUT);
        ((ObjectNode) expected.path("properties")).set("tags", Json.MAPPER.createObjectNode().put("baseline", "true"));
        ((ObjectNode) expected.path("properties")).put("jobName", "train-job-42");
        wm.verify(putRequestedFor(urlPathEqualTo(VERSIONS + "/string"))
                .withHeader("Content-Type", WireMock.containing("application/json"))
                .withRequestBody(equalToJson(expected.toString())));
        wm.verify(0, patchRequestedFor(anyUrl()));
        assertThat(updated.tags()).containsExactly(Map.entry("baseline", "true"));
    }

    @Test
    void set_tags_keeps_the_model_uri_description_and_properties_of_a_real_version() throws IOException {
        wm.stubFor(get(urlPathEqualTo(VERSIONS + "/2")).willReturn(okJson(version("2", "2024-05-02T10:00:00Z",
                Map.of("dynamic", "true"), Map.of("f1", "0.97"), null, "azureml://datastores/ds/paths/m/2").toString())));
        wm.stubFor(put(urlPathEqualTo(VERSIONS + "/2")).willReturn(okJson(version("2", "2024-05-02T10:00:00Z",
                Map.of(), Map.of("f1", "0.97"), null, "azureml://datastores/ds/paths/m/2").toString())));

        registry(WORKSPACE).setTags(MODEL, "2", Map.of());

        LoggedRequest sent = wm.findAll(putRequestedFor(urlPathEqualTo(VERSIONS + "/2"))).get(0);
        JsonNode body = Json.MAPPER.readTree(sent.getBodyAsString());
        assertThat(body.fieldNames()).toIterable().containsExactly("properties");
        assertThat(body.at("/properties/tags").size()).isZero();
        assertThat(body.at("/properties/modelUri").asText()).isEqualTo("azureml://datastores/ds/paths/m/2");
        assertThat(body.at("/properties/description").asText()).isEqualTo("string");
        assertThat(body.at("/properties/properties/f1").asText()).isEqualTo("0.97");
    }

    @Test
    void set_tags_on_a_missing_version_throws_no_such_element_and_puts_nothing() {
        wm.stubFor(get(urlPathEqualTo(VERSIONS + "/9")).willReturn(aResponse().withStatus(404)
                .withBody(armError("UserError", "Not found"))));

        assertThatThrownBy(() -> registry(WORKSPACE).setTags(MODEL, "9", Map.of("baseline", "true")))
                .isInstanceOf(NoSuchElementException.class).hasMessageContaining("9").hasMessageContaining(MODEL);
        wm.verify(0, putRequestedFor(anyUrl()));
    }

    @Test
    void set_tags_in_a_registry_waits_for_the_asynchronous_operation_then_reads_the_version_back() throws IOException {
        String versionPath = REGISTRY + "/models/" + MODEL + "/versions/1";
        String operation = "/subscriptions/x/providers/Microsoft.MachineLearningServices/locations/eastus/mfeOperationsStatus/op1";
        ObjectNode before = responseBody(REGISTRY_GET);
        ObjectNode after = responseBody(REGISTRY_GET);
        ((ObjectNode) after.path("properties")).set("tags", Json.MAPPER.createObjectNode().put("baseline", "true"));
        wm.stubFor(get(urlPathEqualTo(versionPath)).inScenario("put").whenScenarioStateIs(STARTED)
                .willReturn(okJson(before.toString())));
        wm.stubFor(put(urlPathEqualTo(versionPath)).inScenario("put").willSetStateTo("running")
                .willReturn(aResponse().withStatus(202).withHeader("Retry-After", "0")
                        .withHeader("Azure-AsyncOperation", base + operation + "?api-version=" + API_VERSION)));
        wm.stubFor(get(urlPathEqualTo(operation)).inScenario("put").whenScenarioStateIs("running")
                .willSetStateTo("done")
                .willReturn(okJson("{\"status\":\"InProgress\"}").withHeader("Retry-After", "0")));
        wm.stubFor(get(urlPathEqualTo(operation)).inScenario("put").whenScenarioStateIs("done")
                .willReturn(okJson("{\"status\":\"Succeeded\"}")));
        wm.stubFor(get(urlPathEqualTo(versionPath)).inScenario("put").whenScenarioStateIs("done")
                .willReturn(okJson(after.toString())));

        ModelVersion updated = registry(REGISTRY).setTags(MODEL, "1", Map.of("baseline", "true"));

        assertThat(updated.tags()).containsExactly(Map.entry("baseline", "true"));
        wm.verify(2, getRequestedFor(urlPathEqualTo(operation)));
        wm.verify(0, patchRequestedFor(anyUrl()));
    }

    @Test
    void a_failed_registry_operation_is_an_error_with_its_message() {
        String versionPath = REGISTRY + "/models/" + MODEL + "/versions/1";
        String operation = "/operations/op2";
        wm.stubFor(get(urlPathEqualTo(versionPath)).willReturn(okJson(responseBody(REGISTRY_GET).toString())));
        wm.stubFor(put(urlPathEqualTo(versionPath)).willReturn(aResponse().withStatus(201).withHeader("Retry-After", "0")
                .withHeader("Azure-AsyncOperation", base + operation)));
        wm.stubFor(get(urlPathEqualTo(operation)).willReturn(okJson(
                "{\"status\":\"Failed\"," + armError("UserError", "Tags are too long").substring(1))));

        assertThatThrownBy(() -> registry(REGISTRY).setTags(MODEL, "1", Map.of("baseline", "true")))
                .isInstanceOf(ArmException.class).hasMessageContaining("Tags are too long");
    }

    @Test
    void lists_registry_versions_under_the_registry_path() {
        String path = REGISTRY + "/models/" + MODEL + "/versions";
        ObjectNode page = responseBody(REGISTRY_LIST);
        page.remove("nextLink");
        wm.stubFor(get(urlPathEqualTo(path)).willReturn(okJson(page.toString())));

        assertThat(registry(REGISTRY).versions(MODEL)).extracting(ModelVersion::version).containsExactly("string");
    }

    // ---- errors and retries

    @Test
    void retries_after_429_waiting_as_long_as_retry_after_says() {
        wm.stubFor(get(urlPathEqualTo(VERSIONS + "/1")).inScenario("throttle").whenScenarioStateIs(STARTED)
                .willSetStateTo("throttled").willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")
                        .withBody(armError("TooManyRequests", "Slow down"))));
        wm.stubFor(get(urlPathEqualTo(VERSIONS + "/1")).inScenario("throttle").whenScenarioStateIs("throttled")
                .willReturn(okJson(version("1", "2024-05-01T10:00:00Z").toString())));
        long start = System.nanoTime();

        assertThat(registry(WORKSPACE).find(MODEL, "1")).isPresent();

        // The backoff alone is 10 ms; the second request waited for Retry-After's second.
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(900_000_000L);
        wm.verify(2, getRequestedFor(urlPathEqualTo(VERSIONS + "/1")));
    }

    @Test
    void retries_a_server_error_then_succeeds() {
        wm.stubFor(get(urlPathEqualTo(VERSIONS + "/1")).inScenario("flaky").whenScenarioStateIs(STARTED)
                .willSetStateTo("recovered").willReturn(aResponse().withStatus(500)
                        .withBody(armError("InternalServerError", "Oops"))));
        wm.stubFor(get(urlPathEqualTo(VERSIONS + "/1")).inScenario("flaky").whenScenarioStateIs("recovered")
                .willReturn(okJson(version("1", "2024-05-01T10:00:00Z").toString())));

        assertThat(registry(WORKSPACE).find(MODEL, "1")).isPresent();
        wm.verify(2, getRequestedFor(urlPathEqualTo(VERSIONS + "/1")));
    }

    @Test
    void persistent_503_fails_after_the_configured_retries_with_arms_error() {
        wm.stubFor(get(urlPathEqualTo(VERSIONS)).willReturn(aResponse().withStatus(503)
                .withBody(armError("ServiceUnavailable", "The service is temporarily unavailable"))));

        assertThatThrownBy(() -> registry(WORKSPACE).versions(MODEL))
                .hasMessageContaining("503").hasMessageContaining("ServiceUnavailable")
                .hasMessageContaining("The service is temporarily unavailable")
                .isInstanceOfSatisfying(ArmException.class, e -> {
                    assertThat(e.status()).isEqualTo(503);
                    assertThat(e.errorCode()).isEqualTo("ServiceUnavailable");
                    assertThat(e.code()).isEqualTo("registry_unavailable");
                });
        wm.verify(1 + 3, getRequestedFor(urlPathEqualTo(VERSIONS)));
    }

    @Test
    void an_arm_endpoint_that_refuses_connections_is_registry_unavailable() {
        ArmModelRegistry registry = registry(WORKSPACE);
        wm.stop();

        assertThatThrownBy(() -> registry.find(MODEL, "1"))
                .isInstanceOfSatisfying(ArmException.class, e -> {
                    assertThat(e.status()).isZero();
                    assertThat(e.code()).isEqualTo("registry_unavailable");
                    assertThat(dev.greenlight.errors.ErrorMapper.map(e).status()).isEqualTo(503);
                })
                .hasMessageContaining("cannot reach Azure Resource Manager");
    }

    @Test
    void forbidden_names_the_resource_and_the_missing_access_without_retrying() {
        wm.stubFor(get(urlPathEqualTo(VERSIONS + "/1")).willReturn(aResponse().withStatus(403).withBody(armError(
                "AuthorizationFailed", "The client 'abc' does not have authorization to perform action"))));

        assertThatThrownBy(() -> registry(WORKSPACE).find(MODEL, "1"))
                .isInstanceOfSatisfying(ArmAccessDenied.class,
                        e -> assertThat(e.code()).isEqualTo("registry_access_denied"))
                .hasMessageContaining("lacks access").hasMessageContaining(WORKSPACE)
                .hasMessageContaining("AuthorizationFailed");
        wm.verify(1, getRequestedFor(urlPathEqualTo(VERSIONS + "/1")));
    }

    @Test
    void set_tags_surfaces_a_forbidden_put_as_access_denied() {
        wm.stubFor(get(urlPathEqualTo(VERSIONS + "/1")).willReturn(okJson(version("1", "2024-05-01T10:00:00Z").toString())));
        wm.stubFor(put(urlPathEqualTo(VERSIONS + "/1")).willReturn(aResponse().withStatus(403)
                .withBody(armError("AuthorizationFailed", "no write"))));

        assertThatThrownBy(() -> registry(WORKSPACE).setTags(MODEL, "1", Map.of()))
                .isInstanceOf(ArmAccessDenied.class).hasMessageContaining(VERSIONS + "/1");
    }

    @Test
    void every_request_carries_the_api_version_and_the_bearer_token() throws IOException {
        wm.stubFor(get(urlPathEqualTo(VERSIONS)).withQueryParam("$skipToken", WireMock.absent())
                .willReturn(okJson(page(base + VERSIONS + "?$skipToken=p2", version("1", "2024-05-01T10:00:00Z")).toString())));
        wm.stubFor(get(urlPathEqualTo(VERSIONS)).withQueryParam("$skipToken", equalTo("p2"))
                .willReturn(okJson(page(null).toString())));
        wm.stubFor(get(urlPathEqualTo(VERSIONS + "/1")).willReturn(okJson(version("1", "2024-05-01T10:00:00Z").toString())));
        wm.stubFor(put(urlPathEqualTo(VERSIONS + "/1")).willReturn(okJson(version("1", "2024-05-01T10:00:00Z").toString())));
        wm.stubFor(get(urlPathEqualTo(WORKSPACE + "/datastores/workspaceblobstore"))
                .willReturn(okJson(responseBody(DATASTORE).toString())));
        ArmModelRegistry registry = registry(WORKSPACE);

        registry.versions(MODEL);
        ModelVersion v = registry.setTags(MODEL, "1", Map.of("baseline", "true"));
        registry.openArtifact(v).close();

        List<LoggedRequest> requests = wm.findAll(anyRequestedFor(anyUrl()));
        assertThat(requests).hasSize(6);
        assertThat(requests).allSatisfy(r -> {
            assertThat(r.queryParameter("api-version").values()).as(r.getUrl()).containsExactly(API_VERSION);
            assertThat(r.getHeader("Authorization")).as(r.getUrl()).isEqualTo("Bearer " + ArmFixtures.TOKEN);
        });
        assertThat(credential.scopes).containsOnly(base + "/.default");
    }

    // ---- artifacts

    private void stubVersionWithUri(String modelUri) {
        wm.stubFor(get(urlPathEqualTo(VERSIONS + "/1")).willReturn(okJson(version("1", "2024-05-01T10:00:00Z",
                Map.of(), Map.of(), null, modelUri).toString())));
    }

    private static ModelVersion v1() {
        return new ModelVersion(MODEL, "1", Map.of(), Map.of(), null, Instant.EPOCH, null);
    }

    @Test
    void opens_an_artifact_through_its_datastore_as_a_blob_url() throws IOException {
        stubVersionWithUri("azureml://datastores/workspaceblobstore/paths/LocalUpload/0a1b/model.onnx");
        ObjectNode datastore = responseBody(DATASTORE);
        ((ObjectNode) datastore.path("properties")).put("accountName", "mlstore42").put("containerName", "azureml-blobstore-1");
        wm.stubFor(get(urlPathEqualTo(WORKSPACE + "/datastores/workspaceblobstore")).willReturn(okJson(datastore.toString())));

        try (InputStream in = registry(WORKSPACE).openArtifact(v1())) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("onnx-bytes");
        }

        assertThat(downloaded).containsExactly(
                URI.create("https://mlstore42.blob.core.windows.net/azureml-blobstore-1/LocalUpload/0a1b/model.onnx"));
    }

    @Test
    void the_long_azureml_form_reads_the_datastore_of_the_workspace_it_names() throws IOException {
        stubVersionWithUri("azureml://subscriptions/sub-2/resourcegroups/rg-2/workspaces/ws-2/datastores/store/paths/a/m.onnx");
        String other = "/subscriptions/sub-2/resourceGroups/rg-2/providers/Microsoft.MachineLearningServices/workspaces/ws-2";
        wm.stubFor(get(urlPathEqualTo(other + "/datastores/store")).willReturn(okJson(responseBody(DATASTORE).toString())));

        registry(WORKSPACE).openArtifact(v1()).close();

        // The documented datastore example: accountName and containerName "string", endpoint core.windows.net.
        assertThat(downloaded).containsExactly(URI.create("https://string.blob.core.windows.net/string/a/m.onnx"));
    }

    @Test
    void opens_https_wasbs_and_abfss_storage_urls_directly() throws IOException {
        ArmModelRegistry registry = registry(REGISTRY);
        String versionPath = REGISTRY + "/models/" + MODEL + "/versions/1";
        ObjectNode v = responseBody(REGISTRY_GET);
        ((ObjectNode) v.path("properties")).put("modelUri", "https://regstore.blob.core.windows.net:443/c1/models/m.onnx");
        wm.stubFor(get(urlPathEqualTo(versionPath)).willReturn(okJson(v.toString())));

        registry.openArtifact(v1()).close();
        ((ObjectNode) v.path("properties")).put("modelUri", "wasbs://c2@regstore.blob.core.windows.net/x/m.onnx");
        wm.stubFor(get(urlPathEqualTo(versionPath)).willReturn(okJson(v.toString())));
        registry.openArtifact(v1()).close();
        ((ObjectNode) v.path("properties")).put("modelUri", "abfss://fs3@regstore.dfs.core.windows.net/y/m.onnx");
        wm.stubFor(get(urlPathEqualTo(versionPath)).willReturn(okJson(v.toString())));
        registry.openArtifact(v1()).close();

        assertThat(downloaded).containsExactly(
                URI.create("https://regstore.blob.core.windows.net:443/c1/models/m.onnx"),
                URI.create("https://regstore.blob.core.windows.net/c2/x/m.onnx"),
                URI.create("https://regstore.blob.core.windows.net/fs3/y/m.onnx"));
    }

    @Test
    void a_registry_version_naming_a_datastore_is_a_clear_error() {
        ObjectNode v = responseBody(REGISTRY_GET);
        ((ObjectNode) v.path("properties")).put("modelUri", "azureml://datastores/workspaceblobstore/paths/m.onnx");
        wm.stubFor(get(urlPathEqualTo(REGISTRY + "/models/" + MODEL + "/versions/1")).willReturn(okJson(v.toString())));

        assertThatThrownBy(() -> registry(REGISTRY).openArtifact(v1()))
                .isInstanceOf(IOException.class).hasMessageContaining("is a registry, which has none").hasMessageContaining("azureml://datastores/workspaceblobstore/paths/m.onnx");
        assertThat(downloaded).isEmpty();
    }

    @Test
    void malformed_or_unsupported_model_uris_are_clear_errors_and_download_nothing() {
        for (String bad : List.of("azureml://datastores/only-a-name", "runs:/abc/model", "s3://bucket/model.onnx",
                "https://attacker.example.com/model.onnx", "")) {
            stubVersionWithUri(bad);
            assertThatThrownBy(() -> registry(WORKSPACE).openArtifact(v1()))
                    .as(bad).isInstanceOf(IOException.class).hasMessageContaining("modelUri '" + bad + "'");
        }
        assertThat(downloaded).isEmpty();
    }

    @Test
    void a_datastore_that_is_not_blob_storage_is_a_clear_error() {
        stubVersionWithUri("azureml://datastores/files/paths/m.onnx");
        ObjectNode datastore = responseBody(DATASTORE);
        ((ObjectNode) datastore.path("properties")).put("datastoreType", "AzureFile");
        wm.stubFor(get(urlPathEqualTo(WORKSPACE + "/datastores/files")).willReturn(okJson(datastore.toString())));

        assertThatThrownBy(() -> registry(WORKSPACE).openArtifact(v1()))
                .isInstanceOf(IOException.class).hasMessageContaining("AzureFile").hasMessageContaining("files");
    }
}

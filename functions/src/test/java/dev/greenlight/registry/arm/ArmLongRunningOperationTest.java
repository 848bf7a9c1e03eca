package dev.greenlight.registry.arm;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static dev.greenlight.registry.arm.ArmFixtures.API_VERSION;
import static dev.greenlight.registry.arm.ArmFixtures.responseBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.greenlight.errors.ErrorMapper;
import dev.greenlight.json.Json;
import dev.greenlight.registry.ModelVersion;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Retagging a registry version, whose PUT starts an asynchronous operation that the adapter waits for. */
class ArmLongRunningOperationTest {
    private static final String REGISTRY = "/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg"
            + "/providers/Microsoft.MachineLearningServices/registries/shared";
    private static final String VERSION = REGISTRY + "/models/iris-clf/versions/1";
    private static final String OPERATION = "/subscriptions/x/providers/Microsoft.MachineLearningServices/locations"
            + "/eastus/mfeOperationsStatus/op1";

    private final WireMockServer wm = new WireMockServer(options().httpDisabled(true).dynamicHttpsPort());
    private String base;

    @BeforeEach
    void start() {
        wm.start();
        base = "https://localhost:" + wm.httpsPort();
        wm.stubFor(get(urlPathEqualTo(VERSION)).willReturn(okJson(
                responseBody("2024-04-01/Registry/ModelVersion/get.json").toString())));
    }

    @AfterEach
    void stop() {
        wm.stop();
    }

    private ArmModelRegistry registry() {
        return new ArmModelRegistry(ArmPipeline.create(new ArmFixtures.FakeCredential(), URI.create(base),
                ArmFixtures.TRUSTING_HTTP_CLIENT, ArmFixtures.FAST_RETRIES), URI.create(base), API_VERSION,
                AzureMlResource.parse(REGISTRY), url -> {
                    throw new AssertionError("no download expected");
                });
    }

    @Test
    void refuses_an_operation_link_off_the_arm_host_and_polls_nothing() {
        wm.stubFor(put(urlPathEqualTo(VERSION)).willReturn(aResponse().withStatus(201)
                .withHeader("Azure-AsyncOperation", "https://attacker.example" + OPERATION)));

        assertThatThrownBy(() -> registry().setTags("iris-clf", "1", Map.of("baseline", "1")))
                .isInstanceOf(ArmException.class).hasMessageContaining("refusing to follow Azure-AsyncOperation")
                .hasMessageContaining("attacker.example");
        assertThat(wm.findAll(getRequestedFor(anyUrl())).stream().map(r -> r.getUrl()))
                .allSatisfy(url -> assertThat(url).startsWith(VERSION));
    }

    @Test
    void follows_a_location_until_it_stops_answering_202_then_reads_the_version_back() throws IOException {
        String location = "/operations/loc1";
        ObjectNode after = responseBody("2024-04-01/Registry/ModelVersion/get.json");
        ((ObjectNode) after.path("properties")).set("tags", Json.MAPPER.createObjectNode().put("baseline", "1"));
        wm.stubFor(put(urlPathEqualTo(VERSION)).willReturn(aResponse().withStatus(202)
                .withHeader("Location", base + location).withHeader("Retry-After", "0")));
        wm.stubFor(get(urlPathEqualTo(location)).inScenario("loc").whenScenarioStateIs(STARTED).willSetStateTo("done")
                .willReturn(aResponse().withStatus(202).withHeader("Retry-After", "0")));
        wm.stubFor(get(urlPathEqualTo(location)).inScenario("loc").whenScenarioStateIs("done")
                .willReturn(okJson("{}")));
        wm.stubFor(get(urlPathEqualTo(VERSION)).inScenario("loc").whenScenarioStateIs("done")
                .willReturn(okJson(after.toString())));

        ModelVersion updated = registry().setTags("iris-clf", "1", Map.of("baseline", "1"));

        assertThat(updated.tags()).containsExactly(Map.entry("baseline", "1"));
        wm.verify(2, getRequestedFor(urlPathEqualTo(location)));
    }

    @Test
    void an_operation_that_never_finishes_fails_after_a_bounded_number_of_checks() {
        wm.stubFor(put(urlPathEqualTo(VERSION)).willReturn(aResponse().withStatus(201).withHeader("Retry-After", "0")
                .withHeader("Azure-AsyncOperation", base + OPERATION)));
        wm.stubFor(get(urlPathEqualTo(OPERATION)).willReturn(okJson("{\"status\":\"InProgress\"}")
                .withHeader("Retry-After", "0")));

        assertThatThrownBy(() -> registry().setTags("iris-clf", "1", Map.of("baseline", "1")))
                .isInstanceOfSatisfying(ArmException.class, e -> assertThat(e.code()).isEqualTo("registry_unavailable"))
                .hasMessageContaining("did not finish after 120 status checks");
        wm.verify(120, getRequestedFor(urlPathEqualTo(OPERATION)));
    }

    @Test
    void a_status_check_that_keeps_failing_is_registry_unavailable_not_a_wrapped_error() {
        wm.stubFor(put(urlPathEqualTo(VERSION)).willReturn(aResponse().withStatus(201).withHeader("Retry-After", "0")
                .withHeader("Azure-AsyncOperation", base + OPERATION)));
        wm.stubFor(get(urlPathEqualTo(OPERATION)).willReturn(aResponse().withStatus(503)
                .withBody("{\"error\":{\"code\":\"ServiceUnavailable\",\"message\":\"down\"}}")));

        assertThatThrownBy(() -> registry().setTags("iris-clf", "1", Map.of("baseline", "1")))
                .isInstanceOfSatisfying(ArmException.class, e -> {
                    assertThat(e.status()).isEqualTo(503);
                    assertThat(ErrorMapper.map(e).status()).isEqualTo(503);
                });
        wm.verify(1 + 3, getRequestedFor(urlPathEqualTo(OPERATION)));
    }
}

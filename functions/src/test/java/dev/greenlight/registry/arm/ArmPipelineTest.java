package dev.greenlight.registry.arm;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.util.Context;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.URI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ArmPipelineTest {
    private final WireMockServer wm = new WireMockServer(options().httpDisabled(true).dynamicHttpsPort());

    @BeforeEach
    void start() {
        wm.start();
        wm.stubFor(any(anyUrl()).willReturn(okJson("{}")));
    }

    @AfterEach
    void stop() {
        wm.stop();
    }

    @Test
    void sends_the_bearer_token_for_the_endpoints_scope_with_a_user_agent_and_request_id() {
        ArmFixtures.FakeCredential credential = new ArmFixtures.FakeCredential();
        URI endpoint = URI.create("https://localhost:" + wm.httpsPort());
        HttpPipeline pipeline = ArmPipeline.create(credential, endpoint, ArmFixtures.TRUSTING_HTTP_CLIENT);

        try (HttpResponse response = pipeline.sendSync(
                new HttpRequest(HttpMethod.GET, endpoint + "/subscriptions?api-version=2022-12-01"), Context.NONE)) {
            assertThat(response.getStatusCode()).isEqualTo(200);
        }

        wm.verify(getRequestedFor(urlPathEqualTo("/subscriptions"))
                .withHeader("Authorization", equalTo("Bearer " + ArmFixtures.TOKEN))
                .withHeader("User-Agent", matching("greenlight.*"))
                .withHeader("x-ms-client-request-id", matching("[0-9a-f-]{36}")));
        assertThat(credential.scopes).containsExactly(endpoint + "/.default");
    }

    @Test
    void the_scope_is_the_arm_endpoint_with_default() {
        assertThat(ArmPipeline.scope(ArmPipeline.PUBLIC_CLOUD)).isEqualTo("https://management.azure.com/.default");
        assertThat(ArmPipeline.scope(URI.create("https://management.chinacloudapi.cn/")))
                .isEqualTo("https://management.chinacloudapi.cn/.default");
    }

    @Test
    void refuses_an_endpoint_that_is_not_plain_https() {
        for (String bad : new String[] {"http://management.azure.com", "https://management.azure.com/sub", "management.azure.com"}) {
            assertThatThrownBy(() -> ArmPipeline.scope(URI.create(bad))).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(bad);
        }
    }
}

package dev.greenlight.registry.arm;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static dev.greenlight.registry.arm.ArmFixtures.API_VERSION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.http.HttpClient;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.azure.core.http.policy.RetryOptions;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import dev.greenlight.errors.ErrorMapper;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ARM failing in the ways a dependency fails: throttling with {@code Retry-After}, server errors, no answer
 * within the transport's timeout, and connections reset or closed without an answer. Each is retried as
 * {@link ArmPipeline} documents and then fails as {@code registry_unavailable}, 503, within a bounded time.
 */
class ArmFaultsTest {
    private static final String WORKSPACE = "/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg"
            + "/providers/Microsoft.MachineLearningServices/workspaces/ws";
    private static final String VERSION = WORKSPACE + "/models/iris-clf/versions/1";
    /** Two retries: every fault costs three requests, and a throttled call waits 2 x Retry-After. */
    private static final RetryOptions RETRIES = ArmPipeline.retryOptions(2, Duration.ofMillis(10), Duration.ofMillis(50));
    private static final Duration CLIENT_TIMEOUT = Duration.ofMillis(300);
    private static final HttpClient CLIENT = timingOutClient();

    private static final AtomicInteger faultsInjected = new AtomicInteger();
    private static final AtomicInteger retriesSeen = new AtomicInteger();
    private static final AtomicInteger failedCalls = new AtomicInteger();

    private final WireMockServer wm = new WireMockServer(options().httpDisabled(true).dynamicHttpsPort());
    private String base;

    private static HttpClient timingOutClient() {
        try {
            var ssl = SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build();
            return new NettyAsyncHttpClientBuilder(reactor.netty.http.client.HttpClient.create()
                    .secure(spec -> spec.sslContext(ssl)))
                    .responseTimeout(CLIENT_TIMEOUT).readTimeout(CLIENT_TIMEOUT).build();
        } catch (SSLException e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeEach
    void start() {
        wm.start();
        base = "https://localhost:" + wm.httpsPort();
    }

    @AfterEach
    void stop() {
        wm.stop();
    }

    @AfterAll
    static void report() {
        System.out.printf("ARM faults: %d injected, %d retries seen, %d calls failed as registry_unavailable (503)%n",
                faultsInjected.get(), retriesSeen.get(), failedCalls.get());
    }

    private ArmModelRegistry registry() {
        return new ArmModelRegistry(ArmPipeline.create(new ArmFixtures.FakeCredential(), URI.create(base), CLIENT,
                RETRIES), URI.create(base), API_VERSION, AzureMlResource.parse(WORKSPACE), url -> {
                    throw new AssertionError("no download expected");
                });
    }

    private static String version() {
        return "{\"id\":\"" + VERSION + "\",\"name\":\"1\",\"properties\":{\"tags\":{},\"properties\":{},"
                + "\"modelUri\":\"azureml://datastores/workspaceblobstore/paths/m/1\"},"
                + "\"systemData\":{\"createdAt\":\"2024-05-01T10:00:00Z\"}}";
    }

    /** Every request for the version meets the fault; the call fails as registry_unavailable after the retries. */
    private ArmException failsEveryTry(ResponseDefinitionBuilder fault, int expectedRequests) {
        wm.stubFor(get(urlPathEqualTo(VERSION)).willReturn(fault));
        ArmModelRegistry registry = registry();
        long start = System.nanoTime();

        ArmException failure = (ArmException) org.junit.jupiter.api.Assertions.assertThrows(ArmException.class,
                () -> registry.find("iris-clf", "1"));

        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(failure.code()).isEqualTo("registry_unavailable");
        assertThat(ErrorMapper.map(failure).status()).isEqualTo(503);
        assertThat(took).as("bounded, never a hang").isLessThan(Duration.ofSeconds(10));
        int requests = wm.countRequestsMatching(getRequestedFor(urlPathEqualTo(VERSION)).build()).getCount();
        assertThat(requests).isEqualTo(expectedRequests);
        faultsInjected.addAndGet(requests);
        retriesSeen.addAndGet(requests - 1);
        failedCalls.incrementAndGet();
        return failure;
    }

    @Test
    void persistent_429_waits_as_retry_after_says_then_fails_as_registry_unavailable() {
        long start = System.nanoTime();

        ArmException e = failsEveryTry(aResponse().withStatus(429).withHeader("Retry-After", "1")
                .withBody("{\"error\":{\"code\":\"TooManyRequests\",\"message\":\"Slow down\"}}"), 1 + 2);

        assertThat(e.status()).isEqualTo(429);
        assertThat(e.errorCode()).isEqualTo("TooManyRequests");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("two waits of Retry-After: 1")
                .isGreaterThanOrEqualTo(Duration.ofMillis(1900));
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 502, 503, 504})
    void persistent_server_errors_are_retried_then_fail_as_registry_unavailable(int status) {
        ArmException e = failsEveryTry(aResponse().withStatus(status)
                .withBody("{\"error\":{\"code\":\"ServerError\",\"message\":\"down\"}}"), 1 + 2);

        assertThat(e.status()).isEqualTo(status);
        assertThat(e).hasMessageContaining(String.valueOf(status)).hasMessageContaining("ServerError");
    }

    @Test
    void an_answer_slower_than_the_client_timeout_is_retried_then_fails_as_registry_unavailable() {
        ArmException e = failsEveryTry(okJson(version()).withFixedDelay(3_000), 1 + 2);

        assertThat(e.status()).isZero();
        assertThat(e).hasMessageContaining("cannot reach Azure Resource Manager");
    }

    @ParameterizedTest
    @EnumSource(value = Fault.class, names = {"CONNECTION_RESET_BY_PEER", "EMPTY_RESPONSE"})
    void a_connection_reset_or_closed_without_an_answer_is_retried_then_fails_as_registry_unavailable(Fault fault) {
        ArmException e = failsEveryTry(aResponse().withFault(fault), 1 + 2);

        assertThat(e.status()).isZero();
        assertThat(e).hasMessageContaining("cannot reach Azure Resource Manager");
    }

    @ParameterizedTest
    @EnumSource(value = Fault.class, names = {"CONNECTION_RESET_BY_PEER", "EMPTY_RESPONSE"})
    void a_fault_that_passes_within_the_retries_is_not_seen_by_the_caller(Fault fault) {
        wm.stubFor(get(urlPathEqualTo(VERSION)).inScenario("flaky").whenScenarioStateIs(STARTED)
                .willSetStateTo("recovered").willReturn(aResponse().withFault(fault)));
        wm.stubFor(get(urlPathEqualTo(VERSION)).inScenario("flaky").whenScenarioStateIs("recovered")
                .willReturn(okJson(version())));

        assertThat(registry().find("iris-clf", "1")).isPresent();

        wm.verify(2, getRequestedFor(urlPathEqualTo(VERSION)));
        faultsInjected.incrementAndGet();
        retriesSeen.incrementAndGet();
    }

    @Test
    void a_timeout_that_passes_within_the_retries_is_not_seen_by_the_caller() {
        wm.stubFor(get(urlPathEqualTo(VERSION)).inScenario("slow").whenScenarioStateIs(STARTED)
                .willSetStateTo("fast").willReturn(okJson(version()).withFixedDelay(3_000)));
        wm.stubFor(get(urlPathEqualTo(VERSION)).inScenario("slow").whenScenarioStateIs("fast")
                .willReturn(okJson(version())));

        assertThat(registry().find("iris-clf", "1")).isPresent();

        wm.verify(2, getRequestedFor(urlPathEqualTo(VERSION)));
        faultsInjected.incrementAndGet();
        retriesSeen.incrementAndGet();
    }

    @Test
    void not_implemented_is_not_retried() {
        ArmException e = failsEveryTry(aResponse().withStatus(501), 1);

        assertThat(e.status()).isEqualTo(501);
    }
}

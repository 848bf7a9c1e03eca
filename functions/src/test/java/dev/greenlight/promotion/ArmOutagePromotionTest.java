package dev.greenlight.promotion;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.credential.AccessToken;
import com.azure.core.http.HttpClient;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import dev.greenlight.demo.DemoManifest;
import dev.greenlight.demo.DemoModels;
import dev.greenlight.errors.ErrorMapper;
import dev.greenlight.errors.Unavailable;
import dev.greenlight.gate.Gate;
import dev.greenlight.gate.GatePolicy;
import dev.greenlight.json.Json;
import dev.greenlight.registry.arm.ArmModelRegistry;
import dev.greenlight.registry.arm.ArmPipeline;
import dev.greenlight.registry.arm.AzureMlResource;
import dev.greenlight.serving.ModelLoader;
import dev.greenlight.store.ArtifactCache;
import dev.greenlight.store.LocalDocumentStore;
import dev.greenlight.store.PointerStore;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Mono;

/**
 * Promotion over the Azure ML adapter while ARM fails: the registry is WireMock playing ARM (versions kept in
 * memory, tags written by PUT), the store is local. An event met by throttling, server errors, a timeout or a
 * reset connection fails as unavailable, so Event Grid redelivers it, and leaves the store as it was; once ARM
 * answers again the same event judges the version once.
 */
class ArmOutagePromotionTest {
    private static final String WORKSPACE = "/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg"
            + "/providers/Microsoft.MachineLearningServices/workspaces/ws";
    private static final String VERSIONS = WORKSPACE + "/models/iris-clf/versions";
    private static final Duration CLIENT_TIMEOUT = Duration.ofMillis(300);
    private static final int RETRIES = 1;
    private static final HttpClient CLIENT = timingOutClient();

    private static final AtomicInteger faultsInjected = new AtomicInteger();
    private static final AtomicInteger retriesSeen = new AtomicInteger();
    private static final AtomicInteger deliveriesFailed = new AtomicInteger();

    private final FakeArm arm = new FakeArm();
    private final WireMockServer wm = new WireMockServer(options().httpDisabled(true).dynamicHttpsPort()
            .extensions(arm));
    private final Map<URI, byte[]> blobs = new ConcurrentHashMap<>();
    @TempDir
    Path dir;
    private PromotionService promotion;
    private LedgerStore ledgers;
    private PointerStore pointers;

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
        wm.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().withTransformers(FakeArm.NAME)));
        URI endpoint = URI.create("https://localhost:" + wm.httpsPort());
        ArmModelRegistry registry = new ArmModelRegistry(
                ArmPipeline.create(request -> Mono.just(new AccessToken("t", OffsetDateTime.now().plusHours(1))),
                        endpoint, CLIENT, ArmPipeline.retryOptions(RETRIES, Duration.ofMillis(10), Duration.ofMillis(50))),
                endpoint, ArmModelRegistry.DEFAULT_API_VERSION, AzureMlResource.parse(WORKSPACE),
                url -> new ByteArrayInputStream(blobs.get(url)));
        LocalDocumentStore documents = new LocalDocumentStore(dir.resolve("store"));
        ledgers = new LedgerStore(documents);
        pointers = new PointerStore(documents);
        promotion = PromotionService.builder().models(List.of("iris-clf")).registry(registry).ledgers(ledgers)
                .pointers(pointers).probe(new CandidateProbe(registry, new ArtifactCache(dir.resolve("cache")),
                        new ModelLoader(1, Clock.systemUTC()), ""))
                .gate(new Gate(GatePolicy.defaults())).tags("baseline", "dynamic").build();
    }

    @AfterEach
    void stop() {
        promotion.close();
        wm.stop();
    }

    @AfterAll
    static void report() {
        System.out.printf("ARM outages during promotion: %d faults injected, %d retries seen, %d deliveries failed "
                + "as unavailable (503), 0 half-written%n", faultsInjected.get(), retriesSeen.get(),
                deliveriesFailed.get());
    }

    /** Where the fault is: every ARM request, or only reads of the baseline, which come after the candidate is probed. */
    enum Scope { EVERY_REQUEST, BASELINE_ONLY }

    static Stream<Arguments> outages() {
        Map<String, ResponseDefinitionBuilder> faults = new TreeMap<>(Map.of(
                "429 Retry-After", aResponse().withStatus(429).withHeader("Retry-After", "1")
                        .withBody("{\"error\":{\"code\":\"TooManyRequests\",\"message\":\"Slow down\"}}"),
                "503", aResponse().withStatus(503)
                        .withBody("{\"error\":{\"code\":\"ServiceUnavailable\",\"message\":\"down\"}}"),
                "timeout", okJson("{}").withFixedDelay(2_000),
                "connection reset", aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER),
                "empty response", aResponse().withFault(Fault.EMPTY_RESPONSE)));
        return faults.entrySet().stream().flatMap(f -> Stream.of(Scope.values())
                .map(scope -> Arguments.of(f.getKey(), scope, f.getValue())));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("outages")
    void an_arm_outage_fails_the_event_leaves_the_store_as_it_was_and_the_redelivery_judges_once(
            String name, Scope scope, ResponseDefinitionBuilder fault) throws IOException {
        addVersion(1, "2024-05-01T10:00:00Z");
        assertThat(promotion.evaluate("iris-clf", "1", "event:e1").orElseThrow().outcome()).isEqualTo(Outcome.PROMOTED);
        addVersion(2, "2024-05-02T10:00:00Z");
        Map<String, String> before = storeContents();
        long pointerGeneration = pointers.read("iris-clf").orElseThrow().value().generation();

        StubMapping outage = wm.stubFor((scope == Scope.EVERY_REQUEST ? any(anyUrl())
                : any(urlPathEqualTo(VERSIONS + "/1"))).atPriority(1).willReturn(fault));
        int served = wm.getAllServeEvents().size();
        assertThatThrownBy(() -> promotion.evaluate("iris-clf", "2", "event:e2"))
                .as(name).isInstanceOfSatisfying(Unavailable.class, e -> {
                    assertThat(e.code()).isEqualTo("registry_unavailable");
                    assertThat(ErrorMapper.map(e).status()).isEqualTo(503);
                });
        List<ServeEvent> failed = wm.getAllServeEvents().subList(0, wm.getAllServeEvents().size() - served);
        long injected = failed.stream().filter(e -> e.getStubMapping().getId().equals(outage.getId())).count();
        assertThat(injected).as("every try of the failing call met the fault").isEqualTo(1 + RETRIES);
        faultsInjected.addAndGet((int) injected);
        retriesSeen.addAndGet((int) injected - 1);
        deliveriesFailed.incrementAndGet();

        assertThat(storeContents()).as("nothing half-written").isEqualTo(before);
        assertThat(pointers.read("iris-clf").orElseThrow().value().generation()).isEqualTo(pointerGeneration);
        assertThat(arm.tags("2")).containsEntry("dynamic", "true").doesNotContainKey("baseline");

        wm.removeStub(outage);
        Decision decision = promotion.evaluate("iris-clf", "2", "event:e2").orElseThrow();

        assertThat(decision.outcome()).isEqualTo(Outcome.PROMOTED);
        assertThat(promotion.evaluate("iris-clf", "2", "event:e2")).as("a second redelivery is a no-op").isEmpty();
        Ledger ledger = ledgers.read("iris-clf").orElseThrow().value();
        assertThat(ledger.decisions().stream().filter(d -> "2".equals(d.version()) && Ledger.judges(d)))
                .as("version 2 judged exactly once").hasSize(1);
        assertThat(pointers.read("iris-clf").orElseThrow().value().version()).isEqualTo("2");
    }

    /** Registers a demo version in the fake ARM, its file at an https storage URL, tagged as a candidate. */
    private void addVersion(int demoVersion, String createdAt) {
        DemoManifest.Version v = DemoModels.manifest().version(demoVersion);
        URI blob = URI.create("https://acct.blob.core.windows.net/models/iris-clf/" + demoVersion + "/" + v.file());
        blobs.put(blob, DemoModels.bytes(v.file()));
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("id", VERSIONS + "/" + demoVersion);
        body.put("name", Integer.toString(demoVersion));
        ObjectNode p = body.putObject("properties");
        p.set("tags", Json.MAPPER.valueToTree(Map.of("dynamic", "true")));
        p.set("properties", Json.MAPPER.valueToTree(v.properties()));
        p.put("modelUri", blob.toString());
        body.putObject("systemData").put("createdAt", createdAt);
        arm.versions.put(VERSIONS + "/" + demoVersion, body);
    }

    /** Every document of the store, by path, as text (lock files aside). */
    private Map<String, String> storeContents() throws IOException {
        Path root = dir.resolve("store");
        try (Stream<Path> files = Files.walk(root)) {
            Map<String, String> contents = new TreeMap<>();
            files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith("."))
                    .forEach(f -> {
                        try {
                            contents.put(root.relativize(f).toString(), Files.readString(f));
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
            return contents;
        }
    }

    /** ARM's model versions of one workspace, in memory: GET one, GET the list, PUT one. */
    static final class FakeArm implements ResponseDefinitionTransformerV2 {
        static final String NAME = "fake-arm";
        final Map<String, ObjectNode> versions = new ConcurrentHashMap<>();

        Map<String, String> tags(String version) {
            return Json.MAPPER.convertValue(versions.get(VERSIONS + "/" + version).path("properties").path("tags"),
                    Json.MAPPER.getTypeFactory().constructMapType(Map.class, String.class, String.class));
        }

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            var request = event.getRequest();
            String path = URI.create(request.getUrl()).getPath();
            switch (request.getMethod().getName()) {
                case "GET":
                    if (path.equals(VERSIONS)) {
                        var page = Json.MAPPER.createObjectNode();
                        page.putArray("value").addAll(versions.values());
                        return json(200, page);
                    }
                    ObjectNode found = versions.get(path);
                    return found == null ? notFound() : json(200, found);
                case "PUT":
                    ObjectNode current = versions.get(path);
                    try {
                        JsonNode put = Json.MAPPER.readTree(request.getBodyAsString());
                        ObjectNode stored = current == null ? Json.MAPPER.createObjectNode() : current.deepCopy();
                        stored.set("properties", put.path("properties"));
                        versions.put(path, stored);
                        return json(200, stored);
                    } catch (IOException e) {
                        return new ResponseDefinition(400, "not JSON");
                    }
                default:
                    return new ResponseDefinition(405, "");
            }
        }

        private static ResponseDefinition notFound() {
            return json(404, Json.MAPPER.createObjectNode().set("error", Json.MAPPER.createObjectNode()
                    .put("code", "ResourceNotFound").put("message", "not found")));
        }

        /** Written as text: WireMock's own (shaded) Jackson cannot serialize this Jackson's nodes. */
        private static ResponseDefinition json(int status, JsonNode body) {
            return aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                    .withBody(body.toString()).build();
        }

        @Override
        public String getName() {
            return NAME;
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }
    }
}

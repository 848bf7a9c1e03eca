package dev.greenlight.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.AzureKeyCredential;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.models.CloudEvent;
import com.azure.core.util.Context;
import com.azure.messaging.eventgrid.EventGridPublisherClient;
import com.azure.messaging.eventgrid.EventGridPublisherClientBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.greenlight.errors.Unavailable;
import dev.greenlight.fanout.BaselineChangedPublisher.BaselineChange;
import dev.greenlight.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MalformedURLException;
import java.net.URL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * The publisher through the real SDK client against a loopback receiver standing in for the
 * Event Grid topic. The SDK refuses to send a key over plain HTTP ("Key credentials require
 * HTTPS"), so the client addresses the real-looking https topic URL and the test's transport
 * forwards each request, after every SDK policy has run, to the receiver: what the receiver
 * sees is exactly what the SDK put on the wire.
 */
class BaselineChangedPublisherTest {
    private static final String TOPIC = "https://greenlight-test.westeurope-1.eventgrid.azure.net/api/events";
    private static final String KEY = "topic-key-0123456789abcdef";
    private static final BaselineChange PROMOTED =
            new BaselineChange("iris-clf", "1", "2", 2, "dec-7f3a", "PROMOTED");

    /** What the receiver got, one per HTTP request. */
    private record Received(String method, String path, String query, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }

        JsonNode json() {
            try {
                return Json.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private HttpServer receiver;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<URL> addressed = new CopyOnWriteArrayList<>();
    private final AtomicInteger answer = new AtomicInteger(200);
    private HttpClient toReceiver;

    @BeforeEach
    void start() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/", this::receive);
        receiver.start();
        toReceiver = new Forwarding(HttpClient.createDefault(), receiver.getAddress().getPort(), addressed);
    }

    @AfterEach
    void stop() {
        receiver.stop(0);
    }

    private void receive(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                exchange.getRequestURI().getQuery(), Map.copyOf(exchange.getRequestHeaders()), body));
        int status = answer.get();
        byte[] reply = status == 200 ? new byte[0]
                : "{\"error\":{\"code\":\"InternalServerError\",\"message\":\"topic down\"}}".getBytes();
        exchange.sendResponseHeaders(status, reply.length == 0 ? -1 : reply.length);
        exchange.getResponseBody().write(reply);
        exchange.close();
    }

    @Test
    void publishes_one_cloud_event_with_the_topic_key_to_the_topic_events_path() {
        Instant before = Instant.now();

        BaselineChangedPublisher.forTopic(TOPIC, KEY, toReceiver).publish(PROMOTED);

        assertThat(received).hasSize(1);
        Received request = received.get(0);
        assertThat(addressed).extracting(URL::getProtocol, URL::getHost)
                .containsExactly(tuple("https", "greenlight-test.westeurope-1.eventgrid.azure.net"));
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/api/events");
        assertThat(request.query()).isEqualTo("api-version=2018-01-01");
        assertThat(request.header("Content-Type")).isEqualTo("application/cloudevents-batch+json; charset=utf-8");
        assertThat(request.header("aeg-sas-key")).isEqualTo(KEY);
        assertThat(request.header("Authorization")).isNull();

        JsonNode batch = request.json();
        assertThat(batch.isArray()).isTrue();
        assertThat(batch).hasSize(1);
        JsonNode event = batch.get(0);
        assertThat(event.path("specversion").asText()).isEqualTo("1.0");
        assertThat(event.path("type").asText()).isEqualTo("Greenlight.BaselineChanged");
        assertThat(event.path("source").asText()).isEqualTo("/greenlight/models/iris-clf");
        assertThat(event.path("subject").asText()).isEqualTo("models/iris-clf:2");
        assertThat(event.path("id").asText()).isEqualTo("dec-7f3a");
        assertThat(event.path("datacontenttype").asText()).isEqualTo("application/json");
        assertThat(OffsetDateTime.parse(event.path("time").asText()).toInstant())
                .isBetween(before.truncatedTo(ChronoUnit.MILLIS), Instant.now());
        JsonNode data = event.path("data");
        assertThat(data.isObject()).as("data is a JSON object, not a string or base64: %s", data).isTrue();
        assertThat(data.path("model").asText()).isEqualTo("iris-clf");
        assertThat(data.path("oldVersion").asText()).isEqualTo("1");
        assertThat(data.path("newVersion").asText()).isEqualTo("2");
        assertThat(data.path("generation").isIntegralNumber()).isTrue();
        assertThat(data.path("generation").asLong()).isEqualTo(2);
        assertThat(data.path("decisionId").asText()).isEqualTo("dec-7f3a");
        assertThat(data.path("outcome").asText()).isEqualTo("PROMOTED");
        assertThat(data.size()).isEqualTo(6);
    }

    @Test
    void publishing_the_same_decision_twice_sends_the_same_event_id() {
        BaselineChangedPublisher publisher = BaselineChangedPublisher.forTopic(TOPIC, KEY, toReceiver);

        publisher.publish(PROMOTED);
        publisher.publish(PROMOTED);

        assertThat(received).hasSize(2);
        assertThat(received).extracting(r -> r.json().get(0).path("id").asText()).containsExactly("dec-7f3a", "dec-7f3a");
    }

    @Test
    void uses_the_configured_source_and_clock_to_the_millisecond_and_writes_a_missing_old_version_as_null() {
        EventGridPublisherClient<CloudEvent> client = new EventGridPublisherClientBuilder().endpoint(TOPIC)
                .credential(new AzureKeyCredential(KEY)).httpClient(toReceiver).buildCloudEventPublisherClient();
        Instant now = Instant.parse("2025-06-01T12:34:56.789123456Z");
        BaselineChangedPublisher publisher = new BaselineChangedPublisher(client, "/subscriptions/s/greenlight/prod",
                Clock.fixed(now, ZoneOffset.UTC));

        publisher.publish(new BaselineChange("iris-clf", null, "1", 1, "dec-first", "ROLLED_BACK"));

        JsonNode event = received.get(0).json().get(0);
        assertThat(event.path("source").asText()).isEqualTo("/subscriptions/s/greenlight/prod");
        assertThat(event.path("time").asText()).isEqualTo("2025-06-01T12:34:56.789Z");
        assertThat(event.path("data").has("oldVersion")).isTrue();
        assertThat(event.path("data").path("oldVersion").isNull()).isTrue();
        assertThat(event.path("data").path("outcome").asText()).isEqualTo("ROLLED_BACK");
    }

    @Test
    void publishes_with_a_bearer_token_for_event_grid_when_given_a_token_credential() {
        List<TokenRequestContext> asked = new CopyOnWriteArrayList<>();
        TokenCredential identity = request -> {
            asked.add(request);
            return Mono.just(new AccessToken("identity-token", OffsetDateTime.now().plusHours(1)));
        };

        BaselineChangedPublisher.forTopic(TOPIC, identity, toReceiver).publish(PROMOTED);

        assertThat(received).hasSize(1);
        assertThat(received.get(0).header("Authorization")).isEqualTo("Bearer identity-token");
        assertThat(received.get(0).header("aeg-sas-key")).isNull();
        assertThat(asked).flatExtracting(TokenRequestContext::getScopes)
                .containsExactly("https://eventgrid.azure.net/.default");
    }

    @Test
    void a_failing_topic_surfaces_as_unavailable_after_three_quick_tries() {
        answer.set(500);
        BaselineChangedPublisher publisher = BaselineChangedPublisher.forTopic(TOPIC, KEY, toReceiver);
        long start = System.nanoTime();

        assertThatThrownBy(() -> publisher.publish(PROMOTED))
                .isInstanceOf(Unavailable.class)
                .hasMessageContaining("Greenlight.BaselineChanged")
                .hasMessageContaining("iris-clf:2")
                .hasMessageContaining("dec-7f3a")
                .cause().isInstanceOfSatisfying(HttpResponseException.class,
                        e -> assertThat(e.getResponse().getStatusCode()).isEqualTo(500));

        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(received).hasSize(3);
        assertThat(received).extracting(r -> r.json().get(0).path("id").asText()).containsOnly("dec-7f3a");
        assertThat(took).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void refuses_a_topic_endpoint_that_is_not_https_before_sending_anything() {
        assertThatThrownBy(() -> BaselineChangedPublisher.forTopic("http://127.0.0.1:8080/api/events", KEY, toReceiver))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be an https URL")
                .hasMessageEndingWith("was http://127.0.0.1:8080/api/events");
        assertThat(received).isEmpty();
    }

    @Test
    void rejects_a_change_whose_outcome_is_not_a_baseline_change() {
        assertThatThrownBy(() -> new BaselineChange("iris-clf", "1", "2", 2, "dec-1", "REJECTED"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("baseline change outcome must be PROMOTED or ROLLED_BACK, was REJECTED");
    }

    @Test
    void a_promotion_announces_its_baseline_change_with_the_decision_id(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        var registry = new dev.greenlight.registry.LocalModelRegistry(dir.resolve("registry"));
        var documents = new dev.greenlight.store.LocalDocumentStore(dir.resolve("store"));
        var promotion = dev.greenlight.promotion.PromotionService.builder().models(List.of("iris-clf"))
                .registry(registry).ledgers(new dev.greenlight.promotion.LedgerStore(documents))
                .pointers(new dev.greenlight.store.PointerStore(documents))
                .probe(new dev.greenlight.promotion.CandidateProbe(registry,
                        new dev.greenlight.store.ArtifactCache(dir.resolve("cache")),
                        new dev.greenlight.serving.ModelLoader(1, java.time.Clock.systemUTC()), ""))
                .gate(new dev.greenlight.gate.Gate(dev.greenlight.gate.GatePolicy.defaults()))
                .events(java.util.Optional.of(BaselineChangedPublisher.forTopic(TOPIC, KEY, toReceiver))).build();
        java.nio.file.Path file = dir.resolve("v1.onnx");
        java.nio.file.Files.write(file, dev.greenlight.demo.DemoModels.bytes("iris-clf-1.onnx"));
        registry.register("iris-clf", file, Map.of("f1", "0.8857"), Map.of(), null);

        var decision = promotion.evaluate("iris-clf", "1", "event:e1").orElseThrow();

        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> !received.isEmpty());
        assertThat(received).hasSize(1);
        JsonNode event = received.get(0).json().get(0);
        assertThat(event.path("type").asText()).isEqualTo("Greenlight.BaselineChanged");
        assertThat(event.path("id").asText()).isEqualTo(decision.id());
        assertThat(event.path("data").path("newVersion").asText()).isEqualTo("1");
        assertThat(event.path("data").path("outcome").asText()).isEqualTo("PROMOTED");
        assertThat(event.path("data").path("generation").asLong()).isEqualTo(1);
    }

    /**
     * Sends each request, as the SDK's pipeline finished it, to the loopback receiver instead of
     * the topic host, and remembers which URL the SDK addressed.
     */
    private static final class Forwarding implements HttpClient {
        private final HttpClient delegate;
        private final int port;
        private final List<URL> addressed;

        Forwarding(HttpClient delegate, int port, List<URL> addressed) {
            this.delegate = delegate;
            this.port = port;
            this.addressed = addressed;
        }

        @Override
        public Mono<HttpResponse> send(HttpRequest request) {
            return delegate.send(redirect(request));
        }

        @Override
        public Mono<HttpResponse> send(HttpRequest request, Context context) {
            return delegate.send(redirect(request), context);
        }

        @Override
        public HttpResponse sendSync(HttpRequest request, Context context) {
            return delegate.sendSync(redirect(request), context);
        }

        private HttpRequest redirect(HttpRequest request) {
            URL url = request.getUrl();
            addressed.add(url);
            try {
                return request.copy().setUrl(new URL("http", "127.0.0.1", port, url.getFile()));
            } catch (MalformedURLException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}

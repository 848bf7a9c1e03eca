package dev.greenlight.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.greenlight.store.Pointer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Fan-out to 50 real loopback targets: healthy, slow, flaky, dead and rejecting. */
class RefreshFanoutTest {
    private static final String KEY = "fanout-test-key-0123456789";
    private static final Pointer POINTER = new Pointer("iris-clf", "2", "a".repeat(64), 2, Instant.EPOCH);

    private HttpServer server;
    private final ScheduledExecutorService delays = Executors.newSingleThreadScheduledExecutor();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final RefreshSignature verifier = new RefreshSignature(KEY);

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.createContext("/", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        delays.shutdownNow();
    }

    /** Path /{kind}/{n}: how this target behaves. Every call must carry a valid signature. */
    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = exchange.getRequestURI().getPath();
        int call = calls.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        boolean signed = verifier.problem(exchange.getRequestHeaders().getFirst(RefreshSignature.HEADER), body,
                Instant.now()).isEmpty();
        String kind = path.split("/")[1];
        if (!signed || kind.equals("rejecting")) {
            reply(exchange, 401, "{\"error\":\"unauthorized\"}");
        } else if (kind.equals("flaky") && call == 1) {
            reply(exchange, 503, "{\"error\":\"busy\"}");
        } else if (kind.equals("slow")) {
            // Answers after 50 ms, like a reload, without holding a server thread.
            delays.schedule(() -> reply(exchange, 200, "{\"model\":\"iris-clf\",\"version\":\"2\"}"), 50,
                    TimeUnit.MILLISECONDS);
        } else if (kind.equals("hanging")) {
            delays.schedule(() -> reply(exchange, 200, "{\"model\":\"iris-clf\",\"version\":\"2\"}"), 5,
                    TimeUnit.SECONDS);
        } else {
            reply(exchange, 200, "{\"model\":\"iris-clf\",\"version\":\"2\"}");
        }
    }

    private static void reply(HttpExchange exchange, int status, String json) {
        try {
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        } catch (IOException e) {
            exchange.close();
        }
    }

    @Test
    void healthy_slow_and_flaky_targets_confirm_dead_rejecting_and_hanging_ones_are_recorded_in_bounded_time()
            throws IOException {
        List<URI> targets = new ArrayList<>();
        Map<String, String> kindOf = new ConcurrentHashMap<>();
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        for (int i = 0; i < 20; i++) {
            add(targets, kindOf, base + "/healthy/" + i, "healthy");
        }
        for (int i = 0; i < 10; i++) {
            add(targets, kindOf, base + "/slow/" + i, "slow");
            add(targets, kindOf, base + "/flaky/" + i, "flaky");
        }
        for (int i = 0; i < 4; i++) {
            add(targets, kindOf, base + "/rejecting/" + i, "rejecting");
            add(targets, kindOf, base + "/hanging/" + i, "hanging");
        }
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        for (int i = 0; i < 2; i++) {
            add(targets, kindOf, "http://127.0.0.1:" + deadPort + "/dead/" + i, "dead");
        }
        RefreshFanout.Policy policy = new RefreshFanout.Policy(Duration.ofMillis(500), 2, Duration.ofMillis(20),
                Duration.ofMillis(100), 16);

        List<RefreshOutcome> outcomes;
        try (RefreshFanout fanout = new RefreshFanout(targets, new RefreshSignature(KEY), policy.client(),
                policy, Clock.systemUTC())) {
            outcomes = fanout.fanOut(POINTER);
        }

        assertThat(outcomes).hasSize(50);
        Map<String, List<RefreshOutcome>> byKind = outcomes.stream().collect(Collectors.groupingBy(o -> kindOf.get(o.target())));
        assertThat(byKind.get("healthy")).allSatisfy(o -> assertThat(o.confirmed()).isTrue())
                .allSatisfy(o -> assertThat(o.attempts()).isEqualTo(1));
        assertThat(byKind.get("slow")).allSatisfy(o -> assertThat(o.confirmed()).isTrue());
        assertThat(byKind.get("flaky")).allSatisfy(o -> {
            assertThat(o.confirmed()).isTrue();
            assertThat(o.attempts()).isEqualTo(2);
        });
        assertThat(byKind.get("rejecting")).allSatisfy(o -> {
            assertThat(o.confirmed()).isFalse();
            assertThat(o.status()).isEqualTo(401);
            assertThat(o.attempts()).isEqualTo(1); // a 401 is not retried
        });
        assertThat(byKind.get("hanging")).allSatisfy(o -> {
            assertThat(o.confirmed()).isFalse();
            assertThat(o.attempts()).isEqualTo(3);
        });
        assertThat(byKind.get("dead")).allSatisfy(o -> {
            assertThat(o.confirmed()).isFalse();
            assertThat(o.status()).isZero();
            assertThat(o.error()).isNotBlank();
        });
        // Bounded whatever a target does: 3 tries × (500 ms timeout + at most 100 ms backoff), plus slack.
        assertThat(outcomes).allSatisfy(o -> assertThat(o.latencyMillis()).isLessThan(3 * 600 + 500));
    }

    private static void add(List<URI> targets, Map<String, String> kindOf, String url, String kind) {
        targets.add(URI.create(url));
        kindOf.put(url, kind);
    }
}

package dev.greenlight.local.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.greenlight.fanout.RefreshSignature;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Loopback refresh targets that behave like API instances: healthy, slow (50 ms, like a
 * reload), flaky (503 once), rejecting (401 until they recover) and dead (nothing listens
 * until they recover). Every call must carry a valid signature.
 */
final class TargetFarm implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final int deadPort;
    private HttpServer revived;
    private final RefreshSignature verifier;
    private final AtomicBoolean recovered = new AtomicBoolean();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final ScheduledExecutorService delays = Executors.newSingleThreadScheduledExecutor();
    final Map<String, String> kindOf = new ConcurrentHashMap<>();
    final List<String> urls = new ArrayList<>();

    TargetFarm(String key, Map<String, Integer> counts) throws IOException {
        this.verifier = new RefreshSignature(key);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.createContext("/", this::handle);
        server.start();
        try (ServerSocket socket = new ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        counts.forEach((kind, n) -> {
            for (int i = 0; i < n; i++) {
                int port = kind.equals("dead") ? deadPort : server.getAddress().getPort();
                String url = "http://127.0.0.1:" + port + "/" + kind + "/" + i;
                urls.add(url);
                kindOf.put(url, kind);
            }
        });
    }

    /** Rejecting targets start accepting, dead ones come up. */
    void recover() throws IOException {
        recovered.set(true);
        revived = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), deadPort), 0);
        revived.createContext("/", this::handle);
        revived.start();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = exchange.getRequestURI().getPath();
        int call = calls.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        boolean signed = verifier.problem(exchange.getRequestHeaders().getFirst(RefreshSignature.HEADER), body,
                Instant.now()).isEmpty();
        String kind = path.split("/")[1];
        String version = JSON.readTree(body).path("version").asText();
        String served = "{\"model\":\"iris-clf\",\"version\":\"" + version + "\"}";
        if (!signed || (kind.equals("rejecting") && !recovered.get())) {
            reply(exchange, 401, "{\"error\":\"unauthorized\"}");
        } else if (kind.equals("flaky") && call == 1) {
            reply(exchange, 503, "{\"error\":\"busy\"}");
        } else if (kind.equals("slow")) {
            delays.schedule(() -> reply(exchange, 200, served), 50, TimeUnit.MILLISECONDS);
        } else {
            reply(exchange, 200, served);
        }
    }

    private static void reply(HttpExchange exchange, int status, String json) {
        try {
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        } catch (IOException ignored) {
            // the caller gave up on this call
        } finally {
            exchange.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        if (revived != null) {
            revived.stop(0);
        }
        delays.shutdownNow();
    }
}

package dev.greenlight.local.e2e;

import dev.greenlight.local.host.LocalHost;
import dev.greenlight.local.seed.EmbeddedDefault;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The packaged app (as staged by the functions module's build) on the local host, on a free
 * port, with the embedded default seeded into a fresh data folder, and a real HTTP client.
 */
final class RunningApp implements AutoCloseable {
    static final Path APP_DIR = Path.of("../functions/target/azure-functions/greenlight");
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final Path data;
    final LocalHost host;
    final Map<String, String> settings;

    RunningApp(Map<String, String> extraSettings) throws IOException {
        this(Files.createTempDirectory("greenlight-e2e"), extraSettings);
    }

    /** Another instance on the same data folder (registry and store), with its own cache and port. */
    RunningApp(Path data, Map<String, String> extraSettings) throws IOException {
        this(data, 0, extraSettings);
    }

    RunningApp(Path data, int port, Map<String, String> extraSettings) throws IOException {
        this.data = data;
        EmbeddedDefault embedded = new EmbeddedDefault(data);
        Map<String, String> values = new LinkedHashMap<>(embedded.settings());
        // Tests run the sync check themselves (host.triggerTimer): the wall-clock schedule must not
        // fire in the middle of one (every five minutes it would, and hold the sync lease).
        values.put("GREENLIGHT_SYNC_SCHEDULE", "0 0 0 1 1 *");
        values.putAll(extraSettings);
        embedded.seedIfEmpty(values);
        this.settings = Map.copyOf(values);
        this.host = LocalHost.start(new LocalHost.Options(APP_DIR, port, data, null, values, false));
    }

    String functionKey() {
        return host.keys().functionKey();
    }

    HttpResponse<String> post(String path, String body, String... headers) {
        return send("POST", path, body, headers);
    }

    HttpResponse<String> get(String path, String... headers) {
        return send("GET", path, null, headers);
    }

    /** A request with the function key. */
    HttpResponse<String> postWithKey(String path, String body) {
        return post(path, body, "x-functions-key", functionKey(), "Content-Type", "application/json");
    }

    HttpResponse<String> getWithKey(String path) {
        return get(path, "x-functions-key", functionKey());
    }

    HttpResponse<String> send(String method, String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(host.baseUri() + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Registers a demo model file as the next version in this data folder's registry, with no event. */
    dev.greenlight.registry.ModelVersion registerDemo(String demoFile, Map<String, String> properties,
                                                      Map<String, String> tags) throws IOException {
        Path file = data.resolve("registered-" + System.nanoTime() + "-" + demoFile);
        Files.write(file, dev.greenlight.demo.DemoModels.bytes(demoFile));
        return new dev.greenlight.registry.LocalModelRegistry(Path.of(settings.get("GREENLIGHT_REGISTRY")))
                .register("iris-clf", file, properties, tags, null);
    }

    /** The refresh outcomes recorded on the most recent decision. */
    com.fasterxml.jackson.databind.JsonNode latestRefresh() {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(getWithKey("/api/decisions?limit=1").body())
                    .path("decisions").get(0).path("refresh");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Asks until the latest decision records at least {@code targets} refresh outcomes, or the deadline passes. */
    com.fasterxml.jackson.databind.JsonNode awaitRefresh(int targets, Duration timeout) {
        java.util.concurrent.atomic.AtomicReference<com.fasterxml.jackson.databind.JsonNode> last =
                new java.util.concurrent.atomic.AtomicReference<>(latestRefresh());
        awaitQuietly(timeout, () -> {
            last.set(latestRefresh());
            return last.get().size() >= targets;
        });
        return last.get();
    }

    /** Polls {@code done} until it holds or {@code timeout} passes; the caller asserts on what it saw last. */
    static void awaitQuietly(Duration timeout, java.util.concurrent.Callable<Boolean> done) {
        try {
            org.awaitility.Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(10))
                    .pollDelay(Duration.ZERO).until(done);
        } catch (org.awaitility.core.ConditionTimeoutException timedOut) {
            // the caller's assertion on the last value says what was wrong
        }
    }

    /** The version that answers a prediction now; every answer must be a 200. */
    String versionServed() {
        HttpResponse<String> response = postWithKey("/api/predict", "{\"instances\": [[5.1, 3.5, 1.4, 0.2]]}");
        if (response.statusCode() != 200) {
            throw new AssertionError("predict answered " + response.statusCode() + ": " + response.body());
        }
        return response.headers().firstValue("x-model-version").orElseThrow();
    }

    /** Asks until {@code expected} answers or the deadline passes; returns the last version seen. */
    String awaitVersion(String expected, Duration timeout) {
        java.util.concurrent.atomic.AtomicReference<String> served = new java.util.concurrent.atomic.AtomicReference<>();
        awaitQuietly(timeout, () -> {
            served.set(versionServed());
            return served.get().equals(expected);
        });
        return served.get();
    }

    @Override
    public void close() {
        host.close();
    }
}

package dev.greenlight.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.greenlight.demo.DemoModels;
import dev.greenlight.events.EventScope;
import dev.greenlight.local.cli.Main;
import dev.greenlight.registry.LocalModelRegistry;
import dev.greenlight.registry.ModelVersion;
import dev.greenlight.store.LocalDocumentStore;
import dev.greenlight.store.PointerStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code kill -9} of the local host process at random moments of a promotion stream:
 * after each kill the host starts again on the same data folder and Event Grid redelivers what
 * was not acknowledged. After one sync check the state is consistent, and delivering every
 * event once more changes nothing.
 */
class KillNineEndToEndTest {
    private static final Path APP_DIR = Path.of("../functions/target/azure-functions/greenlight").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final long SEED = 20261203L;
    private static final int VERSIONS = 12;
    private static final int KILLS = 4;

    @TempDir
    Path dir;

    @Test
    void after_kills_at_random_moments_one_sync_check_leaves_one_consistent_baseline_and_redeliveries_change_nothing()
            throws Exception {
        Random random = new Random(SEED);
        Path data = dir.resolve("data");
        Path settings = dir.resolve("local.settings.json");
        Files.writeString(settings, "{\"IsEncrypted\": false, \"Values\": {\"GREENLIGHT_SYNC_SCHEDULE\": \"0 0 0 1 1 *\"}}");
        Host host = Host.start(data, settings);
        LocalModelRegistry registry = new LocalModelRegistry(data.resolve("registry"));
        List<String> events = new ArrayList<>();
        for (int i = 0; i < VERSIONS; i++) {
            String f1 = String.format(Locale.ROOT, "%.4f", 0.80 + random.nextDouble() * 0.19);
            Path file = dir.resolve("upload-" + i + ".onnx");
            Files.write(file, DemoModels.bytes("iris-clf-" + (1 + i % 2) + ".onnx"));
            ModelVersion v = registry.register("iris-clf", file, Map.of("f1", f1), Map.of("dynamic", "true"), null);
            events.add(event("kill-" + i, v.version()));
        }

        List<String> unacknowledged = new ArrayList<>(events);
        int kills = 0;
        int delivered = 0;
        while (!unacknowledged.isEmpty()) {
            List<String> next = new ArrayList<>();
            int killAt = kills < KILLS ? random.nextInt(unacknowledged.size()) : -1;
            for (int i = 0; i < unacknowledged.size(); i++) {
                String event = unacknowledged.get(i);
                if (i == killAt) {
                    // The delivery is in flight when the process dies: somewhere in its promotion.
                    CompletableFuture<HttpResponse<String>> inFlight = host.deliverAsync(event);
                    host.kill();
                    kills++;
                    boolean acknowledged = inFlight.handle((r, e) -> r != null && r.statusCode() == 202).get();
                    if (!acknowledged) {
                        next.add(event);
                    }
                    next.addAll(unacknowledged.subList(i + 1, unacknowledged.size()));
                    host = Host.start(data, settings);
                    break;
                }
                delivered++;
                if (host.deliver(event) != 202) {
                    next.add(event);
                }
            }
            unacknowledged = next;
        }

        int sync = new picocli.CommandLine(new Main()).execute("sync", "--data", data.toString(), "--settings",
                settings.toString());
        assertThat(sync).isZero();
        int redeliveries = 0;
        for (String event : events) {
            assertThat(host.deliver(event)).isEqualTo(202);
            redeliveries++;
        }
        JsonNode decisions = JSON.readTree(host.get("/api/decisions?model=iris-clf&limit=500")).path("decisions");
        host.kill();

        var pointer = new PointerStore(new LocalDocumentStore(data.resolve("store"))).read("iris-clf").orElseThrow().value();
        Map<String, String> tagged = new HashMap<>();
        for (ModelVersion v : registry.versions("iris-clf")) {
            if (v.tags().containsKey("baseline")) {
                tagged.put(v.version(), v.tags().get("baseline"));
            }
        }
        Map<String, Integer> judgements = new HashMap<>();
        for (JsonNode d : decisions) {
            if (d.path("actor").asText().startsWith("event:")) {
                judgements.merge(d.path("version").asText(), 1, Integer::sum);
            }
        }
        String baseline = "";
        for (JsonNode d : decisions) {
            String outcome = d.path("outcome").asText();
            if (outcome.equals("PROMOTED") || outcome.equals("ROLLED_BACK") || outcome.equals("ADOPTED")) {
                baseline = d.path("toVersion").asText();
                break; // newest first
            }
        }
        System.out.printf("kill -9: %d deliveries, %d kills mid-delivery, %d redeliveries after the sync check;"
                + " %d versions judged once each; baseline %s at generation %d%n", delivered, kills, redeliveries,
                judgements.size(), pointer.version(), pointer.generation());
        assertThat(kills).isEqualTo(KILLS);
        assertThat(judgements).hasSize(VERSIONS).allSatisfy((version, count) -> assertThat(count)
                .as("judgements of version %s", version).isEqualTo(1));
        assertThat(pointer.version()).isEqualTo(baseline);
        assertThat(tagged).containsExactly(Map.entry(pointer.version(), Long.toString(pointer.generation())));
    }

    private static String event(String id, String version) {
        return """
                [{"id": "%s", "topic": "%s", "subject": "models/iris-clf:%s",
                  "eventType": "Microsoft.MachineLearningServices.ModelRegistered", "eventTime": "2026-12-03T00:00:00Z",
                  "data": {"modelName": "iris-clf", "modelVersion": "%s"}, "dataVersion": "2", "metadataVersion": "1"}]"""
                .formatted(id, EventScope.LOCAL_TOPIC, version, version);
    }

    /** {@code greenlight start} in a JVM of its own, as the launcher runs it. */
    private record Host(Process process, URI base, String functionKey, String eventGridKey) {
        static Host start(Path data, Path settings) throws IOException {
            int port = freePort();
            String java = ProcessHandle.current().info().command().orElse("java");
            ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    Main.class.getName(), "start", "--app", APP_DIR.toString(), "--data", data.toString(),
                    "--settings", settings.toString(), "--port", Integer.toString(port), "--no-access-log")
                    .redirectErrorStream(true).redirectOutput(data.getParent().resolve("host-" + port + ".log").toFile());
            builder.environment().keySet().removeIf(k -> k.startsWith("GREENLIGHT_"));
            Process process = builder.start();
            URI base = URI.create("http://127.0.0.1:" + port);
            Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> {
                if (!process.isAlive()) {
                    throw new AssertionError("the host exited with " + process.exitValue());
                }
                try {
                    return HTTP.send(HttpRequest.newBuilder(base.resolve("/api/health")).timeout(Duration.ofSeconds(2))
                            .build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
                } catch (IOException notYet) {
                    return false;
                }
            });
            Path secrets = data.resolve("secrets");
            return new Host(process, base, Files.readString(secrets.resolve("function.key")).trim(),
                    Files.readString(secrets.resolve("eventgrid_extension.key")).trim());
        }

        int deliver(String event) throws Exception {
            try {
                return HTTP.send(webhook(event), HttpResponse.BodyHandlers.ofString()).statusCode();
            } catch (IOException lost) {
                return 0;
            }
        }

        CompletableFuture<HttpResponse<String>> deliverAsync(String event) {
            return HTTP.sendAsync(webhook(event), HttpResponse.BodyHandlers.ofString());
        }

        String get(String path) throws Exception {
            return HTTP.send(HttpRequest.newBuilder(base.resolve(path)).header("x-functions-key", functionKey).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        }

        private HttpRequest webhook(String event) {
            return HttpRequest.newBuilder(base.resolve("/runtime/webhooks/eventgrid?functionName=OnModelRegistered&code="
                            + eventGridKey)).timeout(Duration.ofSeconds(30)).header("aeg-event-type", "Notification")
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(event)).build();
        }

        void kill() throws InterruptedException {
            process.destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup
            process.waitFor(30, TimeUnit.SECONDS);
        }

        private static int freePort() throws IOException {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            }
        }
    }
}

package dev.greenlight.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.greenlight.demo.DemoModels;
import dev.greenlight.registry.LocalModelRegistry;
import dev.greenlight.registry.ModelVersion;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The sync check repairs what drifted, through the packaged app's SyncCheck timer function. */
class SyncCheckEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "sync-e2e-key-0123456789";
    RunningApp app;
    RunningApp late;

    @AfterEach
    void stop() {
        if (late != null) {
            late.close();
        }
        if (app != null) {
            app.close();
        }
    }

    @Test
    void restores_baseline_tags_tampered_by_hand() throws IOException {
        app = new RunningApp(Map.of());
        assertThat(app.versionServed()).isEqualTo("1"); // the app is up and has adopted its seeded baseline
        LocalModelRegistry registry = registry();
        ModelVersion v1 = registry.find("iris-clf", "1").orElseThrow();
        Map<String, String> tags = new HashMap<>(v1.tags());
        tags.remove("baseline");
        registry.setTags("iris-clf", "1", tags);
        ModelVersion extra = register(registry, "iris-clf-3.onnx", Map.of("f1", "0.8086"), Map.of("baseline", "true"));

        app.host.triggerTimer("SyncCheck");

        assertThat(registry.find("iris-clf", "1").orElseThrow().tags()).containsKey("baseline");
        assertThat(registry.find("iris-clf", extra.version()).orElseThrow().tags()).doesNotContainKey("baseline");
        JsonNode lastSync = JSON.readTree(app.getWithKey("/api/status").body()).path("lastSync");
        assertThat(lastSync.path("drift").toString()).contains("iris-clf:1 tagged 'baseline=1'",
                "iris-clf:" + extra.version() + " lost its stale 'baseline=true' tag");
    }

    @Test
    void the_cli_sync_runs_the_same_check_against_the_same_store() throws IOException {
        app = new RunningApp(Map.of());
        register(registry(), "iris-clf-2.onnx", Map.of("f1", "0.9778"), Map.of("dynamic", "true"));
        java.io.StringWriter out = new java.io.StringWriter();

        int exit = new picocli.CommandLine(new dev.greenlight.local.cli.Main())
                .setOut(new java.io.PrintWriter(out, true)).execute("sync", "--data", app.data.toString());

        assertThat(exit).isZero();
        assertThat(out.toString()).contains("was a candidate with no decision; judged PROMOTED");
        app.host.triggerTimer("SyncCheck"); // the instance notices the new pointer
        assertThat(app.awaitVersion("2", Duration.ofSeconds(5))).isEqualTo("2");
    }

    @Test
    void judges_a_candidate_whose_event_never_arrived() throws IOException {
        app = new RunningApp(Map.of());
        register(registry(), "iris-clf-2.onnx", Map.of("f1", "0.9778"), Map.of("dynamic", "true"));

        app.host.triggerTimer("SyncCheck");

        assertThat(app.awaitVersion("2", Duration.ofSeconds(5))).isEqualTo("2");
        JsonNode decision = JSON.readTree(app.getWithKey("/api/decisions?limit=1").body()).path("decisions").get(0);
        assertThat(decision.path("outcome").asText()).isEqualTo("PROMOTED");
        assertThat(decision.path("actor").asText()).isEqualTo("timer:SyncCheck");
        int decisions = JSON.readTree(app.getWithKey("/api/decisions?limit=10").body()).path("decisions").size();
        app.host.triggerTimer("SyncCheck"); // idempotent: nothing left to judge
        assertThat(JSON.readTree(app.getWithKey("/api/decisions?limit=10").body()).path("decisions").size())
                .isEqualTo(decisions);
    }

    @Test
    void resends_refresh_to_a_target_that_was_down_at_the_flip_once_it_recovers() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        app = new RunningApp(Files.createTempDirectory("greenlight-e2e"), 0, Map.of("GREENLIGHT_REFRESH_KEY", KEY,
                "GREENLIGHT_REFRESH_TARGETS", "http://localhost:" + port + "/api/refresh-model"));
        register(registry(), "iris-clf-2.onnx", Map.of("f1", "0.9778"), Map.of());
        app.post("/api/promote", "{\"model\": \"iris-clf\", \"version\": \"2\"}", "x-functions-key",
                app.host.keys().adminKey());
        JsonNode first = app.awaitRefresh(1, Duration.ofSeconds(30));
        assertThat(first.get(0).path("confirmed").asBoolean()).isFalse();

        late = new RunningApp(app.data, port, Map.of("GREENLIGHT_REFRESH_KEY", KEY, "GREENLIGHT_POINTER_TTL", "3600"));
        app.host.triggerTimer("SyncCheck");

        JsonNode after = JSON.readTree(app.getWithKey("/api/decisions?limit=1").body()).path("decisions").get(0)
                .path("refresh");
        assertThat(after.size()).isEqualTo(1);
        assertThat(after.get(0).path("status").asInt()).isIn(200, 202);
        assertThat(late.awaitVersion("2", Duration.ofSeconds(10))).isEqualTo("2");
    }



    private LocalModelRegistry registry() {
        return new LocalModelRegistry(Path.of(app.settings.get("GREENLIGHT_REGISTRY")));
    }

    private ModelVersion register(LocalModelRegistry registry, String demoFile, Map<String, String> properties,
                                  Map<String, String> tags) throws IOException {
        Path file = app.data.resolve("copy-" + demoFile);
        Files.write(file, DemoModels.bytes(demoFile));
        return registry.register("iris-clf", file, properties, tags, null);
    }
}

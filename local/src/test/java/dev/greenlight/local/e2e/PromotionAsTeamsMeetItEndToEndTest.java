package dev.greenlight.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.greenlight.demo.DemoModels;
import dev.greenlight.events.EventScope;
import dev.greenlight.registry.LocalModelRegistry;
import dev.greenlight.registry.ModelVersion;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The promotion rules as a team meets them, through the packaged app on the local host: a late
 * event after a rollback, a baseline the registry already tags, an event that outruns the
 * registry's listing, a run with several versions, and a failed run.
 */
class PromotionAsTeamsMeetItEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private RunningApp app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void a_late_event_after_the_sync_check_judged_and_the_operator_rolled_back_changes_nothing() throws IOException {
        app = new RunningApp(Map.of());
        register(registry(), "iris-clf-2.onnx", Map.of("f1", "0.9778"), Map.of("dynamic", "true"), null);
        app.host.triggerTimer("SyncCheck"); // the event was lost: the sync check promotes version 2
        assertThat(app.awaitVersion("2", Duration.ofSeconds(5))).isEqualTo("2");
        assertThat(admin("/api/rollback", "{\"model\": \"iris-clf\"}").statusCode()).isEqualTo(200);
        int before = decisions().size();

        HttpResponse<String> late = deliver("OnModelRegistered", registered("late-1", "2"));

        assertThat(late.statusCode()).isEqualTo(202);
        assertThat(decisions().size()).isEqualTo(before);
        assertThat(app.awaitVersion("1", Duration.ofSeconds(5))).isEqualTo("1");
    }

    @Test
    void a_baseline_the_registry_already_tags_is_adopted_served_and_judged_against() throws IOException {
        Path data = Files.createTempDirectory("greenlight-e2e");
        LocalModelRegistry registry = new LocalModelRegistry(data.resolve("registry"));
        register(registry, data, "iris-clf-2.onnx", Map.of("f1", "0.95"), Map.of("baseline", "true"), null);
        app = new RunningApp(data, Map.of());

        assertThat(app.get("/api/health").statusCode()).isEqualTo(200);
        assertThat(app.versionServed()).isEqualTo("1");
        register(registry, data, "iris-clf-1.onnx", Map.of("f1", "0.90"), Map.of("dynamic", "true"), null);
        deliver("OnModelRegistered", registered("e-2", "2"));

        JsonNode decisions = decisions();
        assertThat(decisions.get(0).path("outcome").asText()).isEqualTo("REJECTED");
        assertThat(decisions.get(0).path("reason").asText()).contains("margin");
        assertThat(decisions.get(1).path("outcome").asText()).isEqualTo("ADOPTED");
        assertThat(decisions.get(1).path("version").asText()).isEqualTo("1");
        assertThat(registry.find("iris-clf", "2").orElseThrow().tags()).doesNotContainKey("baseline");
    }

    @Test
    void an_event_for_a_version_not_listed_yet_fails_the_delivery_and_its_retry_is_judged() throws IOException {
        app = new RunningApp(Map.of());
        String event = registered("early-1", "2");

        HttpResponse<String> early = deliver("OnModelRegistered", event);
        assertThat(early.statusCode()).isEqualTo(500); // Event Grid retries a failed delivery
        assertThat(decisions()).allMatch(d -> !"2".equals(d.path("version").asText()));

        register(registry(), "iris-clf-2.onnx", Map.of("f1", "0.9778"), Map.of("dynamic", "true"), null);
        HttpResponse<String> retried = deliver("OnModelRegistered", event);

        assertThat(retried.statusCode()).isEqualTo(202);
        assertThat(decisions().get(0).path("outcome").asText()).isEqualTo("PROMOTED");
        assertThat(app.awaitVersion("2", Duration.ofSeconds(5))).isEqualTo("2");
    }

    @Test
    void a_completed_run_promotes_only_its_best_version_and_rollback_returns_to_the_baseline_before_it()
            throws IOException {
        app = new RunningApp(Map.of());
        register(registry(), "iris-clf-2.onnx", Map.of("f1", "0.9778"), Map.of("dynamic", "true"), "run-42");
        register(registry(), "iris-clf-1.onnx", Map.of("f1", "0.93"), Map.of("dynamic", "true"), "run-42");

        assertThat(deliver("OnRunCompleted", run("r-1", "RunCompleted", "run-42", null)).statusCode()).isEqualTo(202);

        JsonNode decisions = decisions();
        assertThat(decisions.get(0).path("version").asText()).isEqualTo("3");
        assertThat(decisions.get(0).path("outcome").asText()).isEqualTo("REJECTED");
        assertThat(decisions.get(0).path("reason").asText()).contains("passed, but version 2 of the same run");
        assertThat(decisions.get(1).path("version").asText()).isEqualTo("2");
        assertThat(decisions.get(1).path("outcome").asText()).isEqualTo("PROMOTED");
        assertThat(app.awaitVersion("2", Duration.ofSeconds(5))).isEqualTo("2");
        JsonNode rollback = JSON.readTree(admin("/api/rollback", "{\"model\": \"iris-clf\"}").body());
        assertThat(rollback.path("toVersion").asText()).isEqualTo("1");
    }

    @Test
    void a_failed_run_is_recorded_with_its_run_id_and_status() throws IOException {
        app = new RunningApp(Map.of());

        deliver("OnRunCompleted", run("r-9", "RunStatusChanged", "run-9", "failed"));
        deliver("OnRunCompleted", run("r-9", "RunStatusChanged", "run-9", "failed"));

        JsonNode decisions = decisions();
        assertThat(decisions).filteredOn(d -> "run-9".equals(d.path("runId").asText())).hasSize(1);
        assertThat(decisions.get(0).path("reason").asText()).isEqualTo("run run-9 ended failed; nothing to judge");
        JsonNode status = JSON.readTree(app.getWithKey("/api/status").body());
        assertThat(status.path("models").get(0).path("ledger").path("lastDecision").asText())
                .contains("run run-9", "failed");
    }

    private JsonNode decisions() throws IOException {
        return JSON.readTree(app.getWithKey("/api/decisions?model=iris-clf&limit=50").body()).path("decisions");
    }

    private HttpResponse<String> admin(String path, String body) {
        return app.post(path, body, "x-functions-key", app.host.keys().adminKey(), "Content-Type", "application/json");
    }

    private HttpResponse<String> deliver(String function, String event) {
        return app.post("/runtime/webhooks/eventgrid?functionName=" + function + "&code=" + app.host.keys().eventGridKey(),
                event, "aeg-event-type", "Notification", "Content-Type", "application/json");
    }

    private static String registered(String id, String version) {
        return """
                [{"id": "%s", "topic": "%s", "subject": "models/iris-clf:%s",
                  "eventType": "Microsoft.MachineLearningServices.ModelRegistered", "eventTime": "2026-12-03T00:00:00Z",
                  "data": {"modelName": "iris-clf", "modelVersion": "%s"}, "dataVersion": "2", "metadataVersion": "1"}]"""
                .formatted(id, EventScope.LOCAL_TOPIC, version, version);
    }

    private static String run(String id, String type, String runId, String status) {
        return """
                [{"id": "%s", "topic": "%s", "subject": "experiments/e/runs/%s",
                  "eventType": "Microsoft.MachineLearningServices.%s", "eventTime": "2026-12-03T00:00:00Z",
                  "data": {"experimentId": "e", "experimentName": "train", "runId": "%s", "runType": null,
                           "runTags": {}, "runProperties": {}%s},
                  "dataVersion": "", "metadataVersion": "1"}]"""
                .formatted(id, EventScope.LOCAL_TOPIC, runId, type, runId,
                        status == null ? "" : ", \"runStatus\": \"" + status + "\"");
    }

    private LocalModelRegistry registry() {
        return new LocalModelRegistry(Path.of(app.settings.get("GREENLIGHT_REGISTRY")));
    }

    private ModelVersion register(LocalModelRegistry registry, String demoFile, Map<String, String> properties,
                                  Map<String, String> tags, String runId) throws IOException {
        return register(registry, app.data, demoFile, properties, tags, runId);
    }

    private static ModelVersion register(LocalModelRegistry registry, Path data, String demoFile,
                                         Map<String, String> properties, Map<String, String> tags, String runId)
            throws IOException {
        Path file = data.resolve("upload-" + System.nanoTime() + "-" + demoFile);
        Files.write(file, DemoModels.bytes(demoFile));
        return registry.register("iris-clf", file, properties, tags, runId);
    }
}

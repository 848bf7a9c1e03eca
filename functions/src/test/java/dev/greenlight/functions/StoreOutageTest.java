package dev.greenlight.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.azure.functions.HttpResponseMessage;
import dev.greenlight.app.Greenlight;
import dev.greenlight.config.Settings;
import dev.greenlight.demo.DemoModels;
import dev.greenlight.events.EventScope;
import dev.greenlight.json.Json;
import dev.greenlight.registry.LocalModelRegistry;
import dev.greenlight.store.LogCapture;
import dev.greenlight.store.StoreUnavailable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With the store down, the admin and read routes answer 503 {@code store_unavailable} naming the
 * store, never 500 {@code internal}, and the Event Grid functions fail so that Event Grid retries.
 * The store is a local folder that is a plain file, which fails every read and write (even as
 * root, for whom an unreadable folder is still readable).
 */
class StoreOutageTest {
    @TempDir
    Path dir;

    private Path store;
    private Greenlight app;
    private LogCapture log;

    @BeforeEach
    void appWithABrokenStore() throws Exception {
        LocalModelRegistry registry = new LocalModelRegistry(dir.resolve("registry"));
        Path file = dir.resolve("v1.onnx");
        Files.write(file, DemoModels.bytes("iris-clf-1.onnx"));
        registry.register("iris-clf", file, DemoModels.manifest().version(1).properties(), Map.of(), "run-1");
        store = Files.writeString(dir.resolve("store"), "a file where the store folder should be");
        app = new Greenlight(Settings.from(Map.of(
                "GREENLIGHT_MODELS", "iris-clf",
                "GREENLIGHT_REGISTRY", dir.resolve("registry").toString(),
                "GREENLIGHT_STORE", store.toString(),
                "GREENLIGHT_CACHE", dir.resolve("cache").toString())), Clock.systemUTC());
        log = LogCapture.of("");
    }

    @AfterEach
    void close() {
        log.close();
        app.close();
    }

    @Test
    void decisions_answers_503_naming_the_store() {
        HttpResponseMessage response = new Decisions(() -> app).run(
                FakeHttp.get("/api/decisions", Map.of("model", "iris-clf")), FakeHttp.context("Decisions"));

        assertStoreUnavailable(response);
    }

    @Test
    void status_answers_503_naming_the_store() {
        HttpResponseMessage response = new Status(() -> app).run(FakeHttp.get("/api/status", Map.of()),
                FakeHttp.context("Status"));

        assertStoreUnavailable(response);
    }

    @Test
    void promote_answers_503_naming_the_store() {
        HttpResponseMessage response = new Promote(() -> app).run(
                FakeHttp.post("/api/promote", "{\"model\":\"iris-clf\",\"version\":\"1\"}"), FakeHttp.context("Promote"));

        assertStoreUnavailable(response);
    }

    @Test
    void rollback_answers_503_naming_the_store() {
        HttpResponseMessage response = new Rollback(() -> app).run(
                FakeHttp.post("/api/rollback", "{\"model\":\"iris-clf\"}"), FakeHttp.context("Rollback"));

        assertStoreUnavailable(response);
    }

    @Test
    void an_outage_met_by_many_requests_logs_no_stack_trace() {
        for (int i = 0; i < 10; i++) {
            new Decisions(() -> app).run(FakeHttp.get("/api/decisions", Map.of()), FakeHttp.context("Decisions"));
        }

        assertThat(log.atLeast(Level.ALL)).allSatisfy(r -> assertThat(r.getThrown()).isNull());
        assertThat(log.messages(Level.WARNING)).singleElement().asString().contains("the store " + store);
    }

    @Test
    void on_model_registered_fails_so_that_event_grid_retries() {
        String event = "[{\"id\":\"e-1\",\"subject\":\"models/iris-clf:1\",\"eventType\":"
                + "\"Microsoft.MachineLearningServices.ModelRegistered\",\"eventTime\":\"2026-12-03T10:00:00Z\","
                + "\"dataVersion\":\"\",\"metadataVersion\":\"1\",\"topic\":\"" + EventScope.LOCAL_TOPIC + "\","
                + "\"data\":{\"modelName\":\"iris-clf\",\"modelVersion\":\"1\"}}]";

        assertThatThrownBy(() -> new OnModelRegistered(() -> app).run(event, FakeHttp.context("OnModelRegistered")))
                .isInstanceOf(StoreUnavailable.class).hasMessageContaining("the store " + store);
    }

    @Test
    void on_run_completed_fails_so_that_event_grid_retries() {
        String event = "[{\"id\":\"e-2\",\"subject\":\"experiments/x/runs/run-1\",\"eventType\":"
                + "\"Microsoft.MachineLearningServices.RunCompleted\",\"eventTime\":\"2026-12-03T10:00:00Z\","
                + "\"dataVersion\":\"\",\"metadataVersion\":\"1\",\"topic\":\"" + EventScope.LOCAL_TOPIC + "\","
                + "\"data\":{\"runId\":\"run-1\",\"runStatus\":\"Completed\"}}]";

        assertThatThrownBy(() -> new OnRunCompleted(() -> app).run(event, FakeHttp.context("OnRunCompleted")))
                .isInstanceOf(StoreUnavailable.class).hasMessageContaining("the store " + store);
    }

    private void assertStoreUnavailable(HttpResponseMessage response) {
        assertThat(response.getStatusCode()).isEqualTo(503);
        JsonNode body = json(response);
        assertThat(body.path("error").asText()).isEqualTo("store_unavailable");
        assertThat(body.path("detail").asText()).contains("the store " + store);
    }

    private static JsonNode json(HttpResponseMessage response) {
        try {
            return Json.MAPPER.readTree((String) response.getBody());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + response.getBody(), e);
        }
    }
}

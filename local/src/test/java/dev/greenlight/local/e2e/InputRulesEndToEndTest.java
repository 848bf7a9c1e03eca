package dev.greenlight.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the packaged app refuses at its edge, over real HTTP: body types, non-finite numbers, foreign events. */
class InputRulesEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROW = "{\"instances\": [[5.1, 3.5, 1.4, 0.2]]}";
    private static final String LOCAL_TOPIC =
            "/subscriptions/local/resourceGroups/local/providers/Microsoft.MachineLearningServices/workspaces/local";
    static RunningApp app;

    @BeforeAll
    static void start() throws IOException {
        app = new RunningApp(Map.of());
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/xml", "application/octet-stream", "multipart/form-data; boundary=x", "text/plain"})
    void refuses_a_body_that_is_declared_as_something_other_than_json_with_415(String type) throws IOException {
        HttpResponse<String> predict = app.post("/api/predict", ROW, "x-functions-key", app.functionKey(),
                "Content-Type", type);
        HttpResponse<String> promote = app.post("/api/promote", "{\"model\": \"iris-clf\", \"version\": \"1\"}",
                "x-functions-key", app.host.keys().adminKey(), "Content-Type", type);

        assertThat(predict.statusCode()).isEqualTo(415);
        assertThat(JSON.readTree(predict.body()).path("error").asText()).isEqualTo("unsupported_media_type");
        assertThat(JSON.readTree(predict.body()).path("detail").asText()).contains(type);
        assertThat(promote.statusCode()).isEqualTo(415);
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "application/json; charset=utf-8", "*/*",
            "application/x-www-form-urlencoded"})
    void accepts_json_and_what_curl_sends_for_a_plain_d(String type) {
        assertThat(app.post("/api/predict", ROW, "x-functions-key", app.functionKey(), "Content-Type", type)
                .statusCode()).isEqualTo(200);
    }

    @Test
    void accepts_a_body_without_a_content_type() {
        assertThat(app.post("/api/predict", ROW, "x-functions-key", app.functionKey()).statusCode()).isEqualTo(200);
    }

    @Test
    void refuses_a_number_beyond_the_float_range_with_400_naming_the_input() throws IOException {
        HttpResponse<String> response = app.postWithKey("/api/predict", "{\"instances\": [[5.1, 1e400, 1.4, 0.2]]}");

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = JSON.readTree(response.body());
        assertThat(error.path("error").asText()).isEqualTo("invalid_value");
        assertThat(error.path("detail").asText()).contains("input '").contains("not a finite FP32 number");
    }

    @Test
    void an_event_from_another_workspace_is_acknowledged_and_never_judged() throws IOException {
        String version = app.registerDemo("iris-clf-2.onnx", Map.of("f1", "0.9778"), Map.of("dynamic", "true"))
                .version();
        String foreign = registered("other-1", LOCAL_TOPIC.replace("workspaces/local", "workspaces/other"), version);

        HttpResponse<String> delivered = deliver(foreign);

        assertThat(delivered.statusCode()).isEqualTo(202);
        assertThat(actors()).doesNotContain("event:other-1");
        assertThat(app.versionServed()).isEqualTo("1");
    }

    @Test
    void a_batch_with_elements_that_are_not_events_still_has_its_good_event_judged() throws IOException {
        String version = app.registerDemo("iris-clf-3.onnx", Map.of("f1", "0.8086"), Map.of("dynamic", "true"))
                .version();
        String good = registered("mixed-1", LOCAL_TOPIC, version);
        String batch = good.substring(0, good.length() - 1) + ", 3, \"x\"]";

        HttpResponse<String> delivered = deliver(batch);

        assertThat(delivered.statusCode()).isEqualTo(202);
        assertThat(actors()).contains("event:mixed-1");
    }

    private static HttpResponse<String> deliver(String delivery) {
        return app.post("/runtime/webhooks/eventgrid?functionName=OnModelRegistered&code=" + app.host.keys().eventGridKey(),
                delivery, "aeg-event-type", "Notification", "Content-Type", "application/json");
    }

    private static java.util.List<String> actors() throws IOException {
        JsonNode decisions = JSON.readTree(app.getWithKey("/api/decisions?model=iris-clf&limit=50").body())
                .path("decisions");
        java.util.List<String> actors = new java.util.ArrayList<>();
        decisions.forEach(d -> actors.add(d.path("actor").asText()));
        return actors;
    }

    private static String registered(String id, String topic, String version) {
        return """
                [{"id": "%s", "topic": "%s", "subject": "models/iris-clf:%s",
                  "eventType": "Microsoft.MachineLearningServices.ModelRegistered", "eventTime": "2026-11-25T00:00:00Z",
                  "data": {"modelName": "iris-clf", "modelVersion": "%s"}, "dataVersion": "2", "metadataVersion": "1"}]"""
                .formatted(id, topic, version, version);
    }
}

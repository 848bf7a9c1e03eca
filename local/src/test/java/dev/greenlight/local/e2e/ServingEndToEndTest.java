package dev.greenlight.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The packaged app on the local host, called over real HTTP, serving the demo baseline. */
class ServingEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SETOSA_AND_VIRGINICA = "{\"instances\": [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3]]}";
    static RunningApp app;

    @BeforeAll
    static void start() throws IOException {
        app = new RunningApp(Map.of("GREENLIGHT_MAX_BODY", "16KiB"));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void the_staged_app_has_a_generated_function_json_for_every_function() throws IOException {
        try (Stream<Path> dirs = Files.list(RunningApp.APP_DIR)) {
            Set<String> functions = dirs.filter(d -> Files.isRegularFile(d.resolve("function.json")))
                    .map(d -> d.getFileName().toString()).collect(Collectors.toSet());
            assertThat(functions).containsExactlyInAnyOrder("Predict", "Infer", "ModelMetadata", "Health",
                    "Status", "OnModelRegistered", "OnRunCompleted", "SyncCheck", "Promote", "Rollback", "Decisions", "RefreshModel");
        }
    }

    @Test
    void predicts_with_the_demo_baseline_and_names_model_and_version() throws IOException {
        HttpResponse<String> response = app.postWithKey("/api/predict", SETOSA_AND_VIRGINICA);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-model-version")).contains("1");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("model").asText()).isEqualTo("iris-clf");
        assertThat(body.path("version").asText()).isEqualTo("1");
        assertThat(body.path("predictions").get(0).path("label").asText()).isEqualTo("Iris-setosa");
        assertThat(body.path("predictions").get(1).path("label").asText()).isEqualTo("Iris-virginica");
    }

    @Test
    void health_is_ready_and_anonymous() throws IOException {
        HttpResponse<String> response = app.get("/api/health");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).path("models").path("iris-clf").asText()).isEqualTo("1");
    }

    @Test
    void refuses_predictions_without_the_function_key() {
        HttpResponse<String> response = app.post("/api/predict", SETOSA_AND_VIRGINICA);

        assertThat(response.statusCode()).isEqualTo(401);
    }

    @Test
    void answers_bad_input_with_400_and_a_json_error_naming_the_problem() throws IOException {
        HttpResponse<String> malformed = app.postWithKey("/api/predict", "{\"instances\": [[5.1, 3.5");
        HttpResponse<String> narrow = app.postWithKey("/api/predict", "{\"instances\": [[5.1, 3.5, 1.4]]}");
        HttpResponse<String> text = app.postWithKey("/api/predict", "{\"instances\": [[5.1, 3.5, \"x\", 0.2]]}");

        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(malformed.body()).path("error").asText()).isEqualTo("malformed_json");
        assertThat(narrow.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(narrow.body()).path("detail").asText()).contains("input 'features'", "[-1, 4]");
        assertThat(text.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(text.body()).path("detail").asText()).contains("expects a number");
    }

    @Test
    void answers_404_for_an_unknown_model_and_413_for_an_oversized_body() throws IOException {
        HttpResponse<String> unknown = app.postWithKey("/api/predict?model=nope", SETOSA_AND_VIRGINICA);
        String big = "{\"instances\": [" + "[5.1, 3.5, 1.4, 0.2],".repeat(2000) + "[5.1, 3.5, 1.4, 0.2]]}";
        HttpResponse<String> oversized = app.postWithKey("/api/predict", big);

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).path("detail").asText()).contains("'nope'");
        assertThat(oversized.statusCode()).isEqualTo(413);
        assertThat(JSON.readTree(oversized.body()).path("error").asText()).isEqualTo("payload_too_large");
    }

    @Test
    void serves_the_open_inference_protocol_with_route_parameters() throws IOException {
        HttpResponse<String> metadata = app.getWithKey("/api/v2/models/iris-clf");
        HttpResponse<String> infer = app.postWithKey("/api/v2/models/iris-clf/infer", """
                {"inputs": [{"name": "features", "shape": [1, 4], "datatype": "FP32",
                             "data": [5.1, 3.5, 1.4, 0.2]}]}""");

        assertThat(metadata.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(metadata.body()).path("inputs").toString())
                .isEqualTo("[{\"name\":\"features\",\"datatype\":\"FP32\",\"shape\":[-1,4]}]");
        assertThat(infer.statusCode()).isEqualTo(200);
        assertThat(infer.headers().firstValue("x-model-version")).contains("1");
        JsonNode output = JSON.readTree(infer.body()).path("outputs").get(0);
        assertThat(output.path("name").asText()).isEqualTo("probabilities");
        assertThat(output.path("shape").toString()).isEqualTo("[1,3]");
    }

    @Test
    void status_reports_version_digest_and_counters() throws IOException {
        app.postWithKey("/api/predict", SETOSA_AND_VIRGINICA);

        JsonNode model = JSON.readTree(app.getWithKey("/api/status").body()).path("models").get(0);

        assertThat(model.path("model").asText()).isEqualTo("iris-clf");
        assertThat(model.path("version").asText()).isEqualTo("1");
        assertThat(model.path("sha256").asText()).hasSize(64);
        assertThat(model.path("generation").asLong()).isEqualTo(1);
        assertThat(model.path("requests").asLong()).isPositive();
    }

    @Test
    void accepts_event_grid_deliveries_with_the_validation_handshake() throws IOException {
        String webhook = "/runtime/webhooks/eventgrid?functionName=OnModelRegistered&code="
                + app.host.keys().eventGridKey();
        HttpResponse<String> handshake = app.post(webhook, resource("subscription_validation.json"),
                "aeg-event-type", "SubscriptionValidation", "Content-Type", "application/json");
        HttpResponse<String> delivery = app.post(webhook, resource("ml_model_registered.json"),
                "aeg-event-type", "Notification", "Content-Type", "application/json");

        assertThat(handshake.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(handshake.body()).path("validationResponse").asText())
                .isEqualTo(JSON.readTree(resource("subscription_validation.json")).get(0).path("data")
                        .path("validationCode").asText());
        assertThat(delivery.statusCode()).isEqualTo(202);
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = ServingEndToEndTest.class.getResourceAsStream("/events/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
